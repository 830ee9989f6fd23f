package io.p13n.cli.eval;

import io.p13n.jobs.recommend.InMemoryRecommender;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.model.ClickEvent;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The next-item protocol of session-rec (Ludewig and Jannach 2018): after each click of a test
 * session except the last, recommend from the session so far and see where the next click ranks.
 * Each test session is its own customer; its recent items are the session so far, most recent
 * first. The engine is trained on the training clicks in time order through {@link
 * InMemoryRecommender}, i.e. the job's own stage functions.
 */
final class NextItemEvaluation {
    /**
     * Recent items passed per request: the profile keeps the last 20 viewed, so the evaluation
     * gives the ranker no more than the job would.
     */
    static final int RECENT_ITEMS_MAX = 20;

    private NextItemEvaluation() {}

    /** The trained model, learning stopped: the published protocol. */
    static Map<PredictionKey, List<String>> frozen(
            SessionLog train,
            SessionLog test,
            RecommendationSettings s,
            int k,
            IntConsumer progress) {
        InMemoryRecommender model = trained(train, s);
        model.freeze();
        Map<PredictionKey, List<String>> out = new HashMap<>();
        for (Session session : test.sessions()) {
            for (int p = 0; p < session.clicks().size() - 1; p++) {
                out.put(new PredictionKey(session.id(), p), recommend(model, session, p, k));
                progress.accept(out.size());
            }
        }
        return out;
    }

    /**
     * The model keeps learning from the test clicks, replayed in time order across sessions: each
     * click is observed, then the next item of its session is predicted (never seen before it is
     * predicted), as the job would.
     */
    static Map<PredictionKey, List<String>> live(
            SessionLog train,
            SessionLog test,
            RecommendationSettings s,
            int k,
            IntConsumer progress) {
        InMemoryRecommender model = trained(train, s);
        Map<String, Session> sessions = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Session session : test.sessions()) {
            sessions.put(session.id(), session);
        }
        Map<PredictionKey, List<String>> out = new HashMap<>();
        for (ClickEvent click : test.clicks()) {
            model.observe(click);
            Session session = sessions.get(click.getSessionId());
            int p = seen.merge(click.getSessionId(), 1, Integer::sum) - 1;
            if (p < session.clicks().size() - 1) {
                out.put(new PredictionKey(session.id(), p), recommend(model, session, p, k));
                progress.accept(out.size());
            }
        }
        return out;
    }

    /**
     * The most clicked training items, the same list for everyone: the floor any model must beat.
     */
    static Map<PredictionKey, List<String>> popularity(SessionLog train, SessionLog test, int k) {
        Map<String, Integer> counts = new HashMap<>();
        for (Session s : train.sessions()) {
            for (String item : s.items()) {
                counts.merge(item, 1, Integer::sum);
            }
        }
        List<String> top =
                counts.entrySet().stream()
                        .sorted(
                                Map.Entry.<String, Integer>comparingByValue()
                                        .reversed()
                                        .thenComparing(Map.Entry.comparingByKey()))
                        .limit(k)
                        .map(Map.Entry::getKey)
                        .toList();
        Map<PredictionKey, List<String>> out = new HashMap<>();
        for (Session session : test.sessions()) {
            for (int p = 0; p < session.clicks().size() - 1; p++) {
                out.put(new PredictionKey(session.id(), p), top);
            }
        }
        return out;
    }

    /**
     * Scores lists against the test log's next items, over {@code only} (every prediction when
     * null). A prediction without a list counts as a miss.
     */
    static NextItemMetrics score(
            Map<PredictionKey, List<String>> lists,
            SessionLog test,
            Collection<PredictionKey> only,
            int k) {
        Map<String, Session> sessions = new HashMap<>();
        for (Session session : test.sessions()) {
            sessions.put(session.id(), session);
        }
        List<PredictionKey> keys = new ArrayList<>();
        if (only == null) {
            for (Session session : test.sessions()) {
                for (int p = 0; p < session.clicks().size() - 1; p++) {
                    keys.add(new PredictionKey(session.id(), p));
                }
            }
        } else {
            keys.addAll(only);
        }
        NextItemMetrics metrics = new NextItemMetrics(k);
        for (PredictionKey key : keys) {
            Session session = sessions.get(key.sessionId());
            if (session == null
                    || key.position() < 0
                    || key.position() >= session.clicks().size() - 1) {
                throw new IllegalArgumentException("no next item in the test set for " + key);
            }
            String next = session.clicks().get(key.position() + 1).getProductId();
            metrics.record(lists.getOrDefault(key, List.of()), next);
        }
        return metrics;
    }

    static InMemoryRecommender trained(SessionLog train, RecommendationSettings s) {
        InMemoryRecommender model = new InMemoryRecommender(s);
        for (ClickEvent click : train.clicks()) {
            model.observe(click);
        }
        return model;
    }

    private static List<String> recommend(
            InMemoryRecommender model, Session session, int position, int k) {
        List<String> recent = new ArrayList<>();
        for (int i = position; i >= 0 && recent.size() < RECENT_ITEMS_MAX; i--) {
            recent.add(session.clicks().get(i).getProductId());
        }
        long time = session.clicks().get(position).getEventTime().toEpochMilli();
        RecommendationRequest request =
                new RecommendationRequest(
                        session.id(),
                        recent,
                        new ArrayList<>(),
                        new ArrayList<>(),
                        new ArrayList<>(),
                        time,
                        false);
        CustomerRecommendations recs = model.recommend(request);
        List<String> ids = new ArrayList<>(Math.min(k, recs.getItems().size()));
        for (ScoredItem item : recs.getItems()) {
            if (ids.size() == k) {
                break;
            }
            ids.add(item.getItemId());
        }
        return ids;
    }
}
