package redress.intake.customer;

/**
 * The customer as the API shows it: name and contact in clear while the customer's data key
 * exists; after erasure all three are null and {@code erased} is true.
 */
public record CustomerView(String id, String name, String email, String phone, boolean erased) {

    public static CustomerView erased(String id) {
        return new CustomerView(id, null, null, null, true);
    }
}
