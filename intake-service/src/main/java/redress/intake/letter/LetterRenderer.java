package redress.intake.letter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.Variant;
import redress.support.problem.ProblemException;

/**
 * Renders letters: a template (Qute, XHTML) with its data to HTML, escaped as HTML; the HTML to
 * PDF (openhtmltopdf on PDFBox). The PDF is deterministic: the same HTML and time give the same
 * bytes, whenever and wherever rendered. Its producer is fixed, its creation and modification dates
 * are the letter's draft time, its document id ({@code /ID}) is derived from the HTML, and no
 * external resource is ever loaded (a template cannot make the service fetch a URL), so only the
 * base fonts are used and none is embedded.
 */
@ApplicationScoped
public class LetterRenderer {

    static final String PRODUCER = "Redress";
    private static final Variant HTML = new Variant(Locale.ROOT, "text/html", "UTF-8");

    private final Engine engine;

    public LetterRenderer(Engine engine) {
        this.engine = engine;
    }

    /** The template parsed; 422 {@code letter-template-syntax} naming the line when it is not Qute. */
    public Template parse(String body) {
        try {
            return engine.parse(body, HTML);
        } catch (TemplateException e) {
            throw ProblemException.unprocessable(
                    "letter-template-syntax", "The template is not valid Qute: " + e.getMessage());
        }
    }

    /** The template rendered with the data; 422 {@code letter-template-rendering} when it cannot be. */
    public String html(Template template, Map<String, Object> data) {
        try {
            var instance = template.instance();
            data.forEach(instance::data);
            return instance.render();
        } catch (TemplateException e) {
            throw ProblemException.unprocessable(
                    "letter-template-rendering", "The template cannot be rendered: " + e.getMessage());
        }
    }

    /**
     * The HTML as a PDF dated {@code at}; 422 {@code letter-not-xhtml} when the HTML is not
     * well-formed XHTML (a document type declaration is refused, so no entity is ever expanded).
     */
    public byte[] pdf(String html, java.time.Instant at) {
        Document dom = xhtml(html);
        PdfRendererBuilder builder = new PdfRendererBuilder();
        builder.useFastMode();
        builder.withW3cDocument(dom, null);
        builder.useUriResolver((base, uri) -> null);
        builder.withProducer(PRODUCER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
            renderer.layout();
            PDDocument doc = renderer.createPDFKeepOpen();
            try {
                PDDocumentInformation info = doc.getDocumentInformation();
                Calendar when = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
                when.setTimeInMillis(at.toEpochMilli());
                info.setCreationDate(when);
                info.setModificationDate(when);
                info.setProducer(PRODUCER);
                info.setCreator(PRODUCER);
                byte[] id = Arrays.copyOf(sha256(html.getBytes(StandardCharsets.UTF_8)), 16);
                COSArray ids = new COSArray();
                ids.add(new COSString(id));
                ids.add(new COSString(id));
                doc.getDocument().getTrailer().setItem(COSName.ID, ids);
                doc.save(out);
            } finally {
                doc.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the letter could not be rendered as PDF", e);
        }
        return out.toByteArray();
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex of the SHA-256 of the bytes. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static Document xhtml(String html) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new StringReader(html)));
        } catch (SAXParseException e) {
            throw ProblemException.unprocessable(
                    "letter-not-xhtml",
                    "The rendered letter is not well-formed XHTML (line " + e.getLineNumber() + ", column "
                            + e.getColumnNumber() + "): " + e.getMessage());
        } catch (SAXException e) {
            throw ProblemException.unprocessable(
                    "letter-not-xhtml", "The rendered letter is not well-formed XHTML: " + e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
