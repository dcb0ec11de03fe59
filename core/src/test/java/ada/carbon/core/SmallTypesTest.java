package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Scope labels, fact keys and the arithmetic of metrics. */
class SmallTypesTest {

    @Test
    void scopeLabelsAreTheSpecNames() {
        assertThat(Scope.ADA.label()).isEqualTo("ada");
        assertThat(Scope.PROJECT.label()).isEqualTo("project");
        assertThat(Scope.MACHINE.label()).isEqualTo("machine");
        assertThat(Scope.USER.label()).isEqualTo("user");
        for (Scope s : Scope.values()) {
            assertThat(Scope.fromLabel(s.label())).isEqualTo(s);
        }
    }

    @Test
    void onlyTheAdaScopeHasNoEntity() {
        assertThat(new FactKey(Scope.ADA, 0, null).entity()).isNull();
        assertThat(new FactKey(Scope.USER, 0, "alice").entity()).isEqualTo("alice");
        assertThatThrownBy(() -> new FactKey(Scope.ADA, 0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FactKey(Scope.PROJECT, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricsAddAndNegate() {
        Metrics a = new Metrics(1, 2, 3, 4, 5, 6);
        Metrics b = new Metrics(10, 20, 30, 40, 50, 60);
        assertThat(a.plus(b)).isEqualTo(new Metrics(11, 22, 33, 44, 55, 66));
        assertThat(a.plus(a.negate())).isEqualTo(Metrics.ZERO);
        assertThat(a.kwh()).isEqualTo(7.0);
        assertThat(a.grams()).isEqualTo(11.0);
    }
}
