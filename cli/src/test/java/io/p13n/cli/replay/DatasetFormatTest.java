package io.p13n.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetFormatTest {

    @Test
    void detectsEachFormatFromItsHeader() {
        assertThat(DatasetFormat.detect("SessionId\tItemId\tTime"))
                .contains(DatasetFormat.YOOCHOOSE);
        assertThat(DatasetFormat.detect("session_id;user_id;item_id;timeframe;eventdate"))
                .contains(DatasetFormat.DIGINETICA);
        assertThat(DatasetFormat.detect(" customer_id  date number_of_cds  dollar_value"))
                .contains(DatasetFormat.CDNOW_MASTER);
    }

    @Test
    void detectsEachFormatFromADataLine() {
        assertThat(DatasetFormat.detect("3\t214716935\t1396437466.94"))
                .contains(DatasetFormat.YOOCHOOSE);
        assertThat(DatasetFormat.detect("1,2014-04-07T10:51:09.277Z,214536502,0"))
                .contains(DatasetFormat.YOOCHOOSE_RAW);
        assertThat(DatasetFormat.detect("1;NA;81766;526309;2016-05-09"))
                .contains(DatasetFormat.DIGINETICA);
        assertThat(DatasetFormat.detect(" 00001 19970101  1   11.77"))
                .contains(DatasetFormat.CDNOW_MASTER);
        assertThat(DatasetFormat.detect(" 00004 0001 19970101  2   29.33"))
                .contains(DatasetFormat.CDNOW_SAMPLE);
    }

    @Test
    void detectsNothingInOtherText() {
        assertThat(DatasetFormat.detect("SessionId;Position;Recommendations;Scores")).isEmpty();
        assertThat(DatasetFormat.detect("ID,frequency,recency,T")).isEmpty();
        assertThat(DatasetFormat.detect("hello world")).isEmpty();
    }

    @Test
    void findsFormatsByCommandLineName() {
        assertThat(DatasetFormat.byName("cdnow-sample")).isEqualTo(DatasetFormat.CDNOW_SAMPLE);
        assertThat(DatasetFormat.byName("YOOCHOOSE-RAW")).isEqualTo(DatasetFormat.YOOCHOOSE_RAW);
        assertThatThrownBy(() -> DatasetFormat.byName("csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "yoochoose, yoochoose-raw, diginetica, cdnow-master, cdnow-sample");
    }
}
