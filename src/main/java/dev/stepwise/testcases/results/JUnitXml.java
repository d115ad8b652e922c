package dev.stepwise.testcases.results;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Reads a JUnit XML report ({@code <testsuites>} or {@code <testsuite>}) out of a command's output,
 * where it may sit among other lines. Doctypes and external entities are refused: a report is
 * data, never a way to read the server's files.
 */
final class JUnitXml {
  private JUnitXml() {}

  static Optional<TestReport> parse(String output) {
    String xml = document(output);
    if (xml == null) return Optional.empty();
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      var builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      var document = builder.parse(new InputSource(new StringReader(xml)));
      NodeList cases = document.getElementsByTagName("testcase");
      List<TestReport.Result> results = new ArrayList<>();
      for (int i = 0; i < cases.getLength(); i++) results.add(result((Element) cases.item(i)));
      return Optional.of(TestReport.of("junit", results));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static TestReport.Result result(Element testcase) {
    String name = testcase.getAttribute("name");
    String className = testcase.getAttribute("classname");
    String full = className.isEmpty() ? name : className + "." + name;
    for (String failure : List.of("failure", "error")) {
      NodeList found = testcase.getElementsByTagName(failure);
      if (found.getLength() > 0) {
        Element element = (Element) found.item(0);
        String message = element.getAttribute("message");
        if (message.isEmpty()) message = element.getTextContent().strip().lines().findFirst().orElse(failure);
        return new TestReport.Result(full, "failed", shorten(message));
      }
    }
    if (testcase.getElementsByTagName("skipped").getLength() > 0) return new TestReport.Result(full, "skipped", null);
    return new TestReport.Result(full, "passed", null);
  }

  /** The last report document in the output, from its opening tag to its closing one. */
  private static String document(String output) {
    for (String root : List.of("testsuites", "testsuite")) {
      int end = output.lastIndexOf("</" + root + ">");
      if (end < 0) continue;
      int start = output.lastIndexOf("<" + root, end);
      while (start >= 0 && !Character.isWhitespace(output.charAt(start + root.length() + 1))
          && output.charAt(start + root.length() + 1) != '>') {
        start = output.lastIndexOf("<" + root, start - 1);
      }
      if (start >= 0) return output.substring(start, end + root.length() + 3);
    }
    return null;
  }

  static String shorten(String message) {
    if (message == null) return null;
    return message.length() > 500 ? message.substring(0, 497) + "..." : message;
  }
}
