package io.ferry.edfi;

import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.data.ResourceFiles;
import io.ferry.edfi.send.ResendCriteria;
import io.ferry.edfi.send.RunResults;
import io.ferry.edfi.send.SendListener;
import io.ferry.edfi.send.Sender;
import java.util.List;

/** Runs a send as the CLI does, for tests of the library. */
final class EdFiRunner {
    private EdFiRunner() {}

    static RunResults send(EdFiConfig config, ResendCriteria criteria) {
        try (EdFiSession session = EdFiSession.open(config)) {
            session.client().authenticate();
            List<ResourceFiles> files = session.data().withData(session.select("*", ""));
            RunResults results = new RunResults("send", config, config.api().baseUrl());
            new Sender(session.client(), config.stateDir(), criteria, SendListener.NONE).send(files, results);
            return results;
        }
    }
}
