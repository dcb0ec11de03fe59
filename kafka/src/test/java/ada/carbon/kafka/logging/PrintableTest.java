package ada.carbon.kafka.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlCharactersAreWrittenAsVisibleEscapes() {
        assertThat(Printable.of("red \u001b[31mtext\u001b[0m")).isEqualTo("red \\x1b[31mtext\\x1b[0m");
        assertThat(Printable.of("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
        assertThat(Printable.of("\u0000\u0007\u007f\u009b2J")).isEqualTo("\\x00\\x07\\x7f\\x9b2J");
        assertThat(Printable.of("line\u2028next\u2029")).isEqualTo("line\\u2028next\\u2029");
        assertThat(Printable.of("abc\u202Efed\u2066\u200F")).isEqualTo("abc\\u202efed\\u2066\\u200f");
    }

    @Test
    void printableTextIsLeftAsItIs() {
        String text = "Tom & Jerry's \"lab\" é ☃ 日本 😀 C:\\path\\x1b";
        assertThat(Printable.of(text)).isSameAs(text);
        assertThat(Printable.of("")).isEmpty();
        assertThat(Printable.of(null)).isNull();
    }
}
