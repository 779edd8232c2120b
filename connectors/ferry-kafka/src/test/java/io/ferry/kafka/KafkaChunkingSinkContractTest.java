package io.ferry.kafka;

/** The sink contract with events so small that the long values are split into chunks. */
class KafkaChunkingSinkContractTest extends KafkaSinkContractTest {
    @Override
    KafkaSinkSettings settings() {
        return super.settings().withMaxEventSize(KafkaSinkSettings.MIN_EVENT_SIZE * 2);
    }
}
