package redress.intake.letter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * The PDF of a letter is a function of its HTML and its draft time alone: the same bytes in this
 * JVM and in any other, so a letter's SHA-256 can be recomputed from its inputs. The expected hash
 * was computed in an earlier run: a change to it means every stored letter would now render
 * differently (and sending one would be refused as {@code letter-changed}).
 */
class LetterRendererTest {

    static final String HTML = """
            <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Final response</title>
            <style>body { font-family: serif; }</style></head>
            <body><p>6 December 2026</p><p>Dear Ann O&apos;Neill &amp; &lt;Sons&gt;,</p>
            <p>You have the right to refer your complaint to the Financial Ombudsman Service, free of charge –
            but you must do so within six months of the date of this letter.</p></body></html>""";

    static final Instant DRAFTED = Instant.parse("2026-12-06T11:43:27.123456Z");

    final LetterRenderer renderer = new LetterRenderer(null);

    @Test
    void theSameHtmlAndTimeGiveTheSameBytesInAnyRun() {
        byte[] pdf = renderer.pdf(HTML, DRAFTED);
        assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertArrayEquals(pdf, renderer.pdf(HTML, DRAFTED));
        assertEquals("ec8999bab73458781932891387df4540126ac01759afcd258fa87357bf358543", LetterRenderer.sha256Hex(pdf));
    }

    @Test
    void anotherTimeOrTextGivesAnotherDocument() {
        String sha = LetterRenderer.sha256Hex(renderer.pdf(HTML, DRAFTED));
        assertNotEquals(sha, LetterRenderer.sha256Hex(renderer.pdf(HTML, DRAFTED.plusSeconds(1))));
        assertNotEquals(sha, LetterRenderer.sha256Hex(renderer.pdf(HTML.replace("six", "6"), DRAFTED)));
    }

    @Test
    void aNameTheBaseFontsCannotShowStillRenders() {
        byte[] pdf = renderer.pdf(HTML.replace("Ann O&apos;Neill", "Łukasz Żółć 王小明 Ὀδυσσεύς"), DRAFTED);
        assertEquals("%PDF", new String(pdf, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
