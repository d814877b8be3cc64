package redress.audit.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import redress.events.EventCodec;

/**
 * The canonical form the log hashes is RFC 8785 (JCS), checked against the RFC's own vectors:
 * the example of §3.2.2 (whitespace, literals, numbers, string escapes), the property sorting of
 * §3.2.3 (by UTF-16 code units), and the number serialisations of Appendix B. Plain JUnit.
 */
class CanonicalJcsTest {

    static String jcs(String json) throws Exception {
        return new String(Canonical.jcs(EventCodec.mapper().readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void rfc8785Section322Example() throws Exception {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        assertEquals(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
                jcs(input));
    }

    @Test
    void rfc8785Section323SortsPropertiesByUtf16CodeUnits() throws Exception {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";
        assertEquals(
                "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                        + "\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}",
                jcs(input));
    }

    @Test
    void nestedObjectsAreSortedAndArraysKeepTheirOrder() throws Exception {
        assertEquals(
                "{\"a\":{\"x\":[3,1,2],\"y\":{\"b\":1,\"c\":2}},\"b\":\"\"}",
                jcs("{ \"b\" : \"\", \"a\" : { \"y\" : { \"c\" : 2, \"b\" : 1 }, \"x\" : [ 3, 1, 2 ] } }"));
    }

    @Test
    void controlCharactersAreEscapedTheRfcWayAndEverythingElseIsLiteralUtf8() throws Exception {
        // (The log canonicalises objects; the JCS library takes an object or an array at the top.)
        assertEquals(
                "[\"\\b\\t\\n\\f\\r\\u0000\\u001f \u007f\u00e9\uD834\uDD1E\"]",
                jcs("[\"\\u0008\\u0009\\u000a\\u000c\\u000d\\u0000\\u001f\\u0020\\u007f\\u00e9\\ud834\\udd1e\"]"));
        byte[] bytes = Canonical.jcs(EventCodec.mapper().readTree("[\"\\u00e9\"]"));
        assertEquals("[\"é\"]", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(6, bytes.length, "UTF-8, not an escape");
    }

    /** RFC 8785 Appendix B: IEEE-754 bit pattern, and the text JCS must write for it. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void rfc8785AppendixBNumbers(String ieeeHex, String expected) throws Exception {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        assertEquals("[" + expected + "]", jcs("[" + d + "]"), "written from " + d);
        // The same number written as the RFC writes it reads back to the same form.
        assertEquals("[" + expected + "]", jcs("[" + expected + "]"));
    }

    @Test
    void integersAndNumberFormsCollapse() throws Exception {
        assertEquals("[1,1,1,100,-1,0.5,10]", jcs("[1.0, 1E0, 10e-1, 1e2, -1.00, 5e-1, 10]"));
    }

    @Test
    void aNullPropertyIsKept() throws Exception {
        assertEquals("{\"a\":null,\"b\":[null]}", jcs("{\"b\":[null],\"a\":null}"));
    }
}
