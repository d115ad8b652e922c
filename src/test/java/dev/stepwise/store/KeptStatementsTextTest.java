package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeptStatementsTextTest {
  @Test
  void named_parameters_become_question_marks_in_order_and_literals_quoted_names_and_casts_stay() {
    var parsed = KeptStatements.Parsed.of("UPDATE t SET a = :to, b = CAST(:ids AS jsonb), c = x::text, \"d:e\" = 1 "
        + "WHERE d = 'it''s :not' AND e = TRANSLATE(:ids, '[]', '{}') AND g = :to_2");

    assertThat(parsed.jdbc()).isEqualTo("UPDATE t SET a = ?, b = CAST(? AS jsonb), c = x::text, \"d:e\" = 1 "
        + "WHERE d = 'it''s :not' AND e = TRANSLATE(?, '[]', '{}') AND g = ?");
    assertThat(parsed.names()).containsExactly("to", "ids", "ids", "to_2");
    assertThat(KeptStatements.Parsed.of("INSERT INTO t (a, b) VALUES (?, ?)").names()).isEmpty();
  }

  @Test
  void a_text_whose_parameters_could_not_be_told_apart_is_refused() {
    assertThatThrownBy(() -> KeptStatements.Parsed.of("UPDATE t SET a = :a WHERE b = ?"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either ? or :name");
    assertThatThrownBy(() -> KeptStatements.Parsed.of("UPDATE t SET a = :a -- :b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no comments");
    assertThatThrownBy(() -> KeptStatements.Parsed.of("SELECT 'open"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not closed");
  }
}
