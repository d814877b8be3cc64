package redress.events;

/** How a complaint or an interaction reached us. */
public enum Channel {
    EMAIL,
    PHONE,
    WEB,
    CHAT,
    LETTER,
    SOCIAL,
    IN_PERSON,
    API
}
