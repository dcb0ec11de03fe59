package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The accounting settings: every key, defaults, environment overrides, refusals. */
class AccountingConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreTheSpecDefaults() {
        AccountingConfig d = AccountingConfig.defaults();
        assertThat(d.power()).isEqualTo(PowerModel.defaults());
        assertThat(d.power().busyWatts()).isEqualTo(12.0);
        assertThat(d.power().idleWatts()).isEqualTo(1.0);
        assertThat(d.power().pue()).isEqualTo(1.0);
        assertThat(d.fallbackIntensity()).isEqualTo(200.0);
        assertThat(d.grain()).isEqualTo(Grain.HOUR);
        assertThat(d.horizon()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void noKeysGiveTheDefaults() {
        assertThat(AccountingConfig.from(Map.of())).isEqualTo(AccountingConfig.defaults());
        assertThat(AccountingConfig.from(new Properties(), Map.of())).isEqualTo(AccountingConfig.defaults());
    }

    @Test
    void everyKeyIsRead() {
        AccountingConfig c = AccountingConfig.from(Map.of(
                "power.busy.watts",
                "15",
                "power.idle.watts",
                "2.5",
                "pue",
                "1.3",
                "intensity.fallback",
                "250",
                "grain.seconds",
                "1800",
                "horizon.days",
                "3",
                "power.busy.watts.Muon",
                "20",
                "power.idle.watts.SANS",
                "0.5",
                "power.busy.watts.SANS",
                "0"));
        assertThat(c.power().busyWatts()).isEqualTo(15.0);
        assertThat(c.power().idleWatts()).isEqualTo(2.5);
        assertThat(c.power().pue()).isEqualTo(1.3);
        assertThat(c.fallbackIntensity()).isEqualTo(250.0);
        assertThat(c.grain()).isEqualTo(Grain.HALF_HOUR);
        assertThat(c.horizon()).isEqualTo(Duration.ofDays(3));
        assertThat(c.power().busyWattsByMachine()).isEqualTo(Map.of("Muon", 20.0, "SANS", 0.0));
        assertThat(c.power().idleWattsByMachine()).isEqualTo(Map.of("SANS", 0.5));
        assertThat(c.region()).isNull();
        assertThat(c.embodied()).isEqualTo(EmbodiedModel.defaults());
    }

    @Test
    void theRegionAndTheEmbodiedKeysAreRead() {
        AccountingConfig c = AccountingConfig.from(Map.of(
                "intensity.region",
                "12",
                "embodied.server.kgco2eq",
                "1500",
                "embodied.server.cores",
                "64",
                "embodied.lifetime.years",
                "5",
                "embodied.server.kgco2eq.Muon",
                "2400",
                "embodied.server.cores.Muon",
                "16",
                "embodied.server.kgco2eq.Off",
                "0"));
        assertThat(c.region()).isEqualTo(12);
        assertThat(c.embodied())
                .isEqualTo(new EmbodiedModel(1500, 64, 5, Map.of("Muon", 2400.0, "Off", 0.0), Map.of("Muon", 16.0)));
        assertThat(AccountingConfig.from(c.toProperties()))
                .as("its properties read back the same")
                .isEqualTo(c);
        AccountingConfig fromEnvironment = AccountingConfig.from(
                new Properties(),
                Map.of(
                        "ADA_CARBON_INTENSITY_REGION",
                        "3",
                        "ADA_CARBON_EMBODIED_SERVER_CORES__Muon",
                        "32",
                        "ADA_CARBON_EMBODIED_LIFETIME_YEARS",
                        "6"));
        assertThat(fromEnvironment.region()).isEqualTo(3);
        assertThat(fromEnvironment.embodied().serverCoresByMachine()).isEqualTo(Map.of("Muon", 32.0));
        assertThat(fromEnvironment.embodied().lifetimeYears()).isEqualTo(6.0);
    }

    @ParameterizedTest
    @CsvSource({
        "intensity.region, 0, 1 to 17",
        "intensity.region, 18, 1 to 17",
        "intensity.region, south, whole number",
        "embodied.server.kgco2eq, -1, at least 0",
        "embodied.server.cores, 0, above 0",
        "embodied.server.cores.Muon, 0, above 0",
        "embodied.lifetime.years, 0, above 0",
        "embodied.lifetime.years, NaN, finite"
    })
    void badRegionAndEmbodiedValuesAreRefusedNamingTheKey(String key, String value, String says) {
        assertThatThrownBy(() -> AccountingConfig.from(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(says);
    }

    @Test
    void valuesFromTheFileAreTrimmed() {
        AccountingConfig c = AccountingConfig.from(props("pue", " 1.2 ", "grain.seconds", "1800\t"), Map.of());
        assertThat(c.power().pue()).isEqualTo(1.2);
        assertThat(c.grain()).isEqualTo(Grain.HALF_HOUR);
    }

    @Test
    void theEnvironmentOverridesTheFile() {
        Map<String, String> env = Map.of(
                "ADA_CARBON_PUE", "1.5",
                "ADA_CARBON_POWER_BUSY_WATTS__Muon", "30",
                "ADA_CARBON_POWER_IDLE_WATTS", " 3 ",
                "ADA_CARBON_INTENSITY_FALLBACK", "180",
                "ADA_CARBON_GRAIN_SECONDS", "1800",
                "ADA_CARBON_HORIZON_DAYS", "14",
                "PATH", "/usr/bin:/bin",
                "HOME", "/root");
        AccountingConfig c = AccountingConfig.from(
                props("pue", "1.2", "power.busy.watts.Muon", "20", "power.busy.watts", "13"), env);
        assertThat(c.power().pue()).isEqualTo(1.5);
        assertThat(c.power().busyWattsByMachine()).isEqualTo(Map.of("Muon", 30.0));
        assertThat(c.power().busyWatts()).isEqualTo(13.0);
        assertThat(c.power().idleWatts()).isEqualTo(3.0);
        assertThat(c.fallbackIntensity()).isEqualTo(180.0);
        assertThat(c.grain()).isEqualTo(Grain.HALF_HOUR);
        assertThat(c.horizon()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void aPerMachineEnvironmentVariableKeepsTheMachineNameAsItIs() {
        AccountingConfig c =
                AccountingConfig.from(new Properties(), Map.of("ADA_CARBON_POWER_IDLE_WATTS__Excitations_2", "4"));
        assertThat(c.power().idleWattsByMachine()).isEqualTo(Map.of("Excitations_2", 4.0));
    }

    @ParameterizedTest
    @CsvSource({
        "ADA_CARBON_PUE, pue",
        "ADA_CARBON_POWER_BUSY_WATTS, power.busy.watts",
        "ADA_CARBON_POWER_IDLE_WATTS, power.idle.watts",
        "ADA_CARBON_INTENSITY_FALLBACK, intensity.fallback",
        "ADA_CARBON_GRAIN_SECONDS, grain.seconds",
        "ADA_CARBON_HORIZON_DAYS, horizon.days",
        "ADA_CARBON_POWER_BUSY_WATTS__Muon, power.busy.watts.Muon",
        "ADA_CARBON_POWER_IDLE_WATTS__SANS, power.idle.watts.SANS",
        "ADA_CARBON_POWER_BUSY_WATTS__mixed_Case.x, power.busy.watts.mixed_Case.x",
        "ADA_CARBON_INTENSITY_REGION, intensity.region",
        "ADA_CARBON_EMBODIED_SERVER_KGCO2EQ, embodied.server.kgco2eq",
        "ADA_CARBON_EMBODIED_SERVER_CORES__Muon, embodied.server.cores.Muon",
        "ADA_CARBON_EMBODIED_LIFETIME_YEARS, embodied.lifetime.years"
    })
    void keyAndEnvironmentVariableAreInverses(String variable, String key) {
        assertThat(AccountingConfig.keyOfEnvironmentVariable(variable)).isEqualTo(key);
        assertThat(AccountingConfig.environmentVariableOf(key)).isEqualTo(variable);
        assertThat(AccountingConfig.keyOfEnvironmentVariable(AccountingConfig.environmentVariableOf(key)))
                .isEqualTo(key);
    }

    @Test
    void otherVariablesAreNotOurs() {
        for (String name : List.of("PATH", "ADA_CARBONPUE", "ada_carbon_pue", "JAVA_HOME", "XADA_CARBON_PUE")) {
            assertThat(AccountingConfig.keyOfEnvironmentVariable(name)).as(name).isNull();
        }
    }

    @Test
    void toPropertiesRoundTrips() {
        AccountingConfig c = AccountingConfig.from(Map.of(
                "power.busy.watts",
                "15",
                "power.idle.watts",
                "2.5",
                "pue",
                "1.3",
                "intensity.fallback",
                "250",
                "grain.seconds",
                "1800",
                "horizon.days",
                "3",
                "power.busy.watts.Muon",
                "20",
                "power.idle.watts.SANS",
                "0.5"));
        Map<String, String> p = c.toProperties();
        assertThat(p)
                .containsEntry("pue", "1.3")
                .containsEntry("grain.seconds", "1800")
                .containsEntry("power.busy.watts.Muon", "20.0")
                .containsEntry("horizon.days", "3");
        assertThat(AccountingConfig.from(p)).isEqualTo(c);
        assertThat(AccountingConfig.from(AccountingConfig.defaults().toProperties()))
                .isEqualTo(AccountingConfig.defaults());
    }

    @ParameterizedTest
    @CsvSource({"pue.extra", "power.busy.watts.", "power.busy", "grain", "Pue", "intensity.fallback.Muon", "horizon"})
    void unknownKeysAreRefusedByName(String key) {
        assertThatThrownBy(() -> AccountingConfig.from(Map.of(key, "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown")
                .hasMessageContaining("'" + key + "'");
    }

    @Test
    void anUnknownVariableWithOurPrefixIsRefused() {
        assertThatThrownBy(() -> AccountingConfig.from(new Properties(), Map.of("ADA_CARBON_PEU", "1.2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'peu'");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "pue|0.9",
                "pue|abc",
                "pue|NaN",
                "pue|Infinity",
                "pue|-1",
                "pue|''",
                "power.busy.watts|-1",
                "power.busy.watts|twelve",
                "power.idle.watts|-0.5",
                "power.idle.watts|Infinity",
                "intensity.fallback|-200",
                "intensity.fallback|NaN",
                "grain.seconds|900",
                "grain.seconds|3600.0",
                "grain.seconds|7200",
                "grain.seconds|hour",
                "grain.seconds|0",
                "horizon.days|0",
                "horizon.days|-7",
                "horizon.days|1.5",
                "power.busy.watts.Muon|-3",
                "power.idle.watts.SANS|x"
            })
    void badValuesAreRefusedNamingTheKeyAndValue(String key, String value) {
        assertThatThrownBy(() -> AccountingConfig.from(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void badValuesFromTheEnvironmentAreRefusedNamingTheKey() {
        Map<String, String> env = new HashMap<>();
        env.put("ADA_CARBON_POWER_BUSY_WATTS__Muon", "lots");
        assertThatThrownBy(() -> AccountingConfig.from(new Properties(), env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("power.busy.watts.Muon");
    }

    @Test
    void grainIsOnlyAnHourOrAHalfHour() {
        assertThat(AccountingConfig.from(Map.of("grain.seconds", "3600")).grain())
                .isEqualTo(Grain.HOUR);
        assertThat(AccountingConfig.from(Map.of("grain.seconds", "1800")).grain())
                .isEqualTo(Grain.HALF_HOUR);
        assertThatThrownBy(() -> AccountingConfig.from(Map.of("grain.seconds", "60")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("3600 or 1800");
    }

    @Test
    void boundaryValuesAreAccepted() {
        AccountingConfig c = AccountingConfig.from(Map.of(
                "pue",
                "1",
                "power.busy.watts",
                "0",
                "power.idle.watts",
                "0",
                "intensity.fallback",
                "0",
                "horizon.days",
                "1"));
        assertThat(c.power().pue()).isEqualTo(1.0);
        assertThat(c.power().busyWatts()).isZero();
        assertThat(c.fallbackIntensity()).isZero();
        assertThat(c.horizon()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void theLaunchersOwnVariablesAreNotTakenForSettings() {
        var env = java.util.Map.of(
                "ADA_CARBON_LOG_LEVEL", "INFO", "ADA_CARBON_JAVA_OPTS", "-Xmx1g", "ADA_CARBON_PUE", "1.2");
        AccountingConfig c = AccountingConfig.from(new java.util.Properties(), env);
        org.assertj.core.api.Assertions.assertThat(c.power().pue()).isEqualTo(1.2);
        org.assertj.core.api.Assertions.assertThat(AccountingConfig.keyOfEnvironmentVariable("ADA_CARBON_LOG_LEVEL"))
                .isNull();
    }
}
