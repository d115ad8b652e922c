package dev.stepwise.testcases.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestReportsTest {
  @Test
  void readsJUnitXmlAmongOtherOutput() {
    var report = TestReports.in("""
        compiling...
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites>
          <testsuite name="a"><testcase classname="x" name="one"/><testcase name="two"><error>Segfault
        at line 3</error></testcase></testsuite>
          <testsuite name="b"><testcase name="three"><skipped/></testcase></testsuite>
        </testsuites>
        done""").orElseThrow();
    assertThat(report.format()).isEqualTo("junit");
    assertThat(report.total()).isEqualTo(3);
    assertThat(report.tests()).extracting(TestReport.Result::name, TestReport.Result::status, TestReport.Result::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("x.one", "passed", null),
            org.assertj.core.groups.Tuple.tuple("two", "failed", "Segfault"),
            org.assertj.core.groups.Tuple.tuple("three", "skipped", null));
  }

  @Test
  void refusesExternalEntities() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<testsuite><testcase name=\"&x;\"/></testsuite>";
    assertThat(TestReports.in(xxe)).isEmpty();
  }

  @Test
  void readsTapWithDirectivesMissingTestsAndBailOut() {
    var report = TestReports.in("""
        TAP version 13
        1..5
        ok 1 - parses
        not ok 2 - rejects empty
        ok 3 - large # SKIP no memory
        not ok 4 - unicode # TODO later
        Bail out! database gone""").orElseThrow();
    assertThat(report.format()).isEqualTo("tap");
    assertThat(report.total()).isEqualTo(5);
    assertThat(report.passed()).isEqualTo(1);
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.skipped()).isEqualTo(2);
    assertThat(report.tests().get(4).message()).isEqualTo("bailed out: database gone");
  }

  @Test
  void plainOutputIsNoReport() {
    assertThat(TestReports.in("ok\nall good\n")).isEmpty();
    assertThat(TestReports.in("")).isEmpty();
    assertThat(TestReports.in("<testsuite><testcase name=")).isEmpty();
  }

  @Test
  void hostileOutputIsReadQuicklyOrNotAtAll() {
    String spaces = "1..1\nok" + " ".repeat(3000) + "#\n";
    assertThat(TestReports.in(spaces)).isPresent();
    assertThat(TestReports.in("1..99999999999\nok 1\n")).isEmpty();
    assertThat(TestReports.in("1..2147483648\nok 1\n")).isEmpty();
  }
}
