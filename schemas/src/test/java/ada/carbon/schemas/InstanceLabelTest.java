package ada.carbon.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 1.1: host:port, [v6]:port, or all host (no port, or an unbracketed IPv6 address). */
class InstanceLabelTest {

    @Test
    void hostAndPort() {
        assertThat(InstanceLabel.parse("host-172-16-100-116.nubes.stfc.ac.uk:9100"))
                .isEqualTo(new InstanceLabel(
                        "host-172-16-100-116.nubes.stfc.ac.uk:9100", "host-172-16-100-116.nubes.stfc.ac.uk", 9100));
    }

    @Test
    void bracketedIpv6WithPort() {
        assertThat(InstanceLabel.parse("[::1]:9100")).isEqualTo(new InstanceLabel("[::1]:9100", "::1", 9100));
        assertThat(InstanceLabel.parse("[2001:db8::7]:22"))
                .isEqualTo(new InstanceLabel("[2001:db8::7]:22", "2001:db8::7", 22));
    }

    @Test
    void bracketedIpv6WithoutPort() {
        assertThat(InstanceLabel.parse("[fe80::1]")).isEqualTo(new InstanceLabel("[fe80::1]", "fe80::1", null));
    }

    @Test
    void bareHost() {
        assertThat(InstanceLabel.parse("ada-node-4")).isEqualTo(new InstanceLabel("ada-node-4", "ada-node-4", null));
        assertThat(InstanceLabel.parse("10.0.0.7")).isEqualTo(new InstanceLabel("10.0.0.7", "10.0.0.7", null));
    }

    @Test
    void unbracketedIpv6IsAllHost() {
        assertThat(InstanceLabel.parse("fe80::1:2")).isEqualTo(new InstanceLabel("fe80::1:2", "fe80::1:2", null));
        assertThat(InstanceLabel.parse("::1")).isEqualTo(new InstanceLabel("::1", "::1", null));
    }

    @Test
    void portsAtTheEndsOfTheRangeAreAccepted() {
        assertThat(InstanceLabel.parse("h:0").port()).isZero();
        assertThat(InstanceLabel.parse("h:65535").port()).isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"host:abc", "host:65536", "host:-1", "host:", "host:9100x", "[::1]:port", "[::1]:", "[::1]:70000"
            })
    void aBadPortIsRefusedNamingLabelAndPort(String raw) {
        assertThatThrownBy(() -> InstanceLabel.parse(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + raw + "'")
                .hasMessageContaining("port");
    }

    @Test
    void malformedBracketsAreRefused() {
        assertThatThrownBy(() -> InstanceLabel.parse("[::1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'[::1'");
        assertThatThrownBy(() -> InstanceLabel.parse("[::1]9100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'[::1]9100'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyIsRefused(String raw) {
        assertThatThrownBy(() -> InstanceLabel.parse(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> InstanceLabel.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostKeyIsTheHostLowerCasedWithoutPortOrBrackets() {
        assertThat(InstanceLabel.hostKey("HOST-A.Example.ORG:9100")).isEqualTo("host-a.example.org");
        assertThat(InstanceLabel.hostKey("host-a.example.org")).isEqualTo("host-a.example.org");
        assertThat(InstanceLabel.hostKey("Host-A.example.org:22")).isEqualTo("host-a.example.org");
        assertThat(InstanceLabel.hostKey("[FE80::A1]:9100")).isEqualTo("fe80::a1");
        assertThat(InstanceLabel.hostKey("[fe80::a1]")).isEqualTo("fe80::a1");
        assertThat(InstanceLabel.hostKey("FE80::A1")).isEqualTo("fe80::a1");
    }

    @Test
    void hostKeyDoesNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(InstanceLabel.hostKey("IDA-NODE-I:9100")).isEqualTo("ida-node-i");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
