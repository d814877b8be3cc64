package redress.events.payload;

/**
 * The complaining customer. Personal data (name, contact) lives only here, apart from everything
 * else in a payload, so that it can later be encrypted per customer and erased.
 *
 * @param id the firm's own id for the customer, the same whichever system submits
 */
public record Customer(String id, String name, String email, String phone) {
}
