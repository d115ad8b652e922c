package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeptStatementsTextTest {
  @Test
  void named_parameters_become_question_marks_in_order_and_literals_and_casts_stay() {
    var parsed = KeptStatements.Parsed.of("UPDATE t SET a = :to, b = CAST(:ids AS jsonb), c = x::text "
        + "WHERE d = 'it''s :not' AND e = TRANSLATE(:ids, '[]', '{}') AND f = ? AND g = :to_2");

    assertThat(parsed.jdbc()).isEqualTo("UPDATE t SET a = ?, b = CAST(? AS jsonb), c = x::text "
        + "WHERE d = 'it''s :not' AND e = TRANSLATE(?, '[]', '{}') AND f = ? AND g = ?");
    assertThat(parsed.names()).containsExactly("to", "ids", "ids", "to_2");
  }
}
