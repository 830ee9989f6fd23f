package io.p13n.jobs.profile;

import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.SearchBurst;
import io.p13n.model.SearchedQuery;
import io.p13n.model.TriggerType;
import java.util.ArrayList;
import java.util.List;

/**
 * What a customer's searches say (README, Searches): the product views that follow a search in the
 * same session, within {@code searches.attribution-window} and up to {@code searches.max-views},
 * are the searcher's answer, and their categories gain {@code searches.affinity-weight} of interest
 * on top of the views' own; the category most of them were in is remembered for the query, so that
 * the customer repeating the query later moves their interests even without a view; and a burst of
 * searches with no order within {@code searches.no-purchase-after} is one SEARCHED_NOT_BOUGHT
 * moment. Pure; the state is two fields of the profile.
 *
 * <p><b>Per customer, not global.</b> The query-to-category table lives in the customer's profile
 * ({@code searchedQueries}), not in a store-wide stage keyed by query. A global table would map a
 * query the customer never answered, but the customer stage cannot read another key's state: every
 * search and view would have to be shuffled to a query-keyed stage and its answer brought back to
 * the customer through a topic (as the identity hand-off does), a second network hop and a second
 * state access on the hottest path, for the searches of first-time queries only. A store-wide table
 * of query hashes with counts would also make the hashed queries open to frequency analysis. The
 * storefront's own search engine already maps text to products; what the engine adds is the
 * customer's intent, and people repeat their own searches (the same shoes over a week), which the
 * per-customer table covers at a few hundred bytes per searching customer.
 *
 * <p><b>No text.</b> The entrance replaced the query by a keyed token ({@link
 * io.p13n.jobs.privacy.SearchQueries}); this class keeps a 64-bit hash of that token.
 */
public final class SearchInterest {
    private SearchInterest() {}

    /** The stored form of a query token: a 64-bit hash, never 0 (0 is "a search without text"). */
    public static long queryHash(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        long hash = RecentEventHashes.hash(token);
        return hash == 0 ? 1 : hash;
    }

    /**
     * A search: opens a burst, or extends the open one (a search in its session, or any search
     * while its moment is pending: one message for one hunt, however many queries it took), and
     * gives the query's remembered category its interest.
     */
    public static void onSearch(
            CustomerProfile profile, String token, String sessionId, long time, ProfileSettings s) {
        SearchSettings ss = s.searches();
        long hash = queryHash(token);
        String session = sessionId == null ? "" : sessionId;
        SearchBurst burst = profile.getOpenSearch();
        boolean sameBurst =
                burst != null && (!burst.getSignalled() || session.equals(burst.getSessionId()));
        if (!sameBurst) {
            burst = SearchBurst.newBuilder().setFirstAt(time).setLastAt(time).build();
            profile.setOpenSearch(burst);
        }
        burst.setSearches(burst.getSearches() + 1);
        burst.setFirstAt(Math.min(burst.getFirstAt(), time));
        if (time >= burst.getLastAt() || !sameBurst) {
            // The latest search is the one later views answer; a late, older one changes nothing.
            burst.setLastAt(time);
            burst.setSessionId(session);
            burst.setQueryHash(hash);
            burst.setQueryViews(0);
            burst.setQueryCategories(new ArrayList<>());
        }
        if (hash == 0) {
            return;
        }
        List<SearchedQuery> queries = live(profile, time, ss);
        for (SearchedQuery q : queries) {
            if (q.getQueryHash() == hash) {
                q.setUsedAt(Math.max(q.getUsedAt(), time)); // in use: kept longer
                CategoryAffinity.add(
                        profile,
                        q.getCategoryId(),
                        ss.affinityWeight(),
                        time,
                        s.affinityHalfLifeMillis(),
                        s.affinityTopN());
                return;
            }
        }
    }

    /**
     * A product view: when it answers the open burst's latest search (same session, within the
     * attribution window, under the view cap), its category gains the search weight and the query
     * learns the category most of its answers were in.
     */
    public static void onView(
            CustomerProfile profile,
            String sessionId,
            String productId,
            String categoryId,
            long time,
            ProfileSettings s) {
        SearchBurst burst = profile.getOpenSearch();
        SearchSettings ss = s.searches();
        if (burst == null
                || !burst.getSessionId().equals(sessionId == null ? "" : sessionId)
                || time < burst.getLastAt()
                || time > burst.getLastAt() + ss.attributionWindowMillis()
                || burst.getQueryViews() >= ss.maxViews()) {
            return;
        }
        burst.setQueryViews(burst.getQueryViews() + 1);
        burst.setViews(burst.getViews() + 1);
        if (productId != null) {
            burst.setProductId(productId);
        }
        if (categoryId == null || categoryId.isEmpty()) {
            return;
        }
        CategoryAffinity.add(
                profile,
                categoryId,
                ss.affinityWeight(),
                time,
                s.affinityHalfLifeMillis(),
                s.affinityTopN());
        List<String> categories = new ArrayList<>(burst.getQueryCategories());
        categories.add(categoryId); // at most maxViews: one per credited view
        burst.setQueryCategories(categories);
        String main = mostFrequent(categories);
        burst.setCategoryId(main);
        if (burst.getQueryHash() != 0) {
            remember(profile, burst.getQueryHash(), main, time, ss);
        }
    }

    /**
     * When the open burst's moment is due: {@code Long.MAX_VALUE} when there is none pending (no
     * burst, or its moment has fired).
     */
    public static long deadline(CustomerProfile profile, SearchSettings s) {
        SearchBurst burst = profile.getOpenSearch();
        if (burst == null || burst.getSignalled()) {
            return Long.MAX_VALUE;
        }
        return burst.getLastAt() + s.noPurchaseAfterMillis();
    }

    /**
     * The burst's moment as of {@code now}, at most once: null while it is not due, after it fired,
     * and when an order was placed since the burst's first search (the burst is then closed).
     */
    public static CustomerMoment due(CustomerProfile profile, long now, SearchSettings s) {
        SearchBurst burst = profile.getOpenSearch();
        if (burst == null || burst.getSignalled()) {
            return null;
        }
        if (profile.getLastOrderTime() >= burst.getFirstAt()) {
            profile.setOpenSearch(null); // they bought: the hunt ended well
            return null;
        }
        long due = burst.getLastAt() + s.noPurchaseAfterMillis();
        if (now < due) {
            return null;
        }
        burst.setSignalled(true);
        return CustomerMoment.newBuilder()
                .setCustomerId(profile.getCustomerId())
                .setTrigger(TriggerType.SEARCHED_NOT_BOUGHT)
                .setEventTime(due)
                .setReason(reason(burst, s))
                .setProductId(burst.getProductId())
                .setCategoryId(burst.getCategoryId())
                .build();
    }

    /** Human text for the decision's reason: counts and a category id, never the query. */
    static String reason(SearchBurst burst, SearchSettings s) {
        StringBuilder text = new StringBuilder("searched");
        if (burst.getSearches() > 1) {
            text.append(' ').append(burst.getSearches()).append(" times");
        }
        if (burst.getViews() == 0) {
            text.append(", viewed no product");
        } else {
            text.append(", viewed ")
                    .append(burst.getViews())
                    .append(burst.getViews() == 1 ? " product" : " products");
            if (burst.getCategoryId() != null) {
                text.append(" mostly in ").append(burst.getCategoryId());
            }
        }
        return text.append(", no order within ")
                .append(minutes(s.noPurchaseAfterMillis()))
                .toString();
    }

    /**
     * Folds a merged-away profile's searches into the surviving one (identity merge): the
     * remembered queries are united (the later use wins, bounded as ever) and the later burst is
     * kept, its first search the earlier of the two when both are pending (a guest's hunt that
     * continued after the login is one hunt).
     */
    public static void merge(CustomerProfile into, CustomerProfile other, ProfileSettings s) {
        SearchSettings ss = s.searches();
        for (SearchedQuery q : other.getSearchedQueries()) {
            remember(into, q.getQueryHash(), q.getCategoryId(), q.getUsedAt(), ss);
        }
        SearchBurst mine = into.getOpenSearch();
        SearchBurst theirs = other.getOpenSearch();
        if (theirs == null) {
            return;
        }
        SearchBurst later = mine == null || theirs.getLastAt() > mine.getLastAt() ? theirs : mine;
        SearchBurst kept = SearchBurst.newBuilder(later).build();
        if (mine != null && !mine.getSignalled() && !theirs.getSignalled()) {
            kept.setFirstAt(Math.min(mine.getFirstAt(), theirs.getFirstAt()));
            kept.setSearches(mine.getSearches() + theirs.getSearches());
            kept.setViews(mine.getViews() + theirs.getViews());
        }
        into.setOpenSearch(kept);
    }

    /** Records (or refreshes) the query's category, within the TTL and the bound. */
    private static void remember(
            CustomerProfile profile, long hash, String categoryId, long time, SearchSettings s) {
        List<SearchedQuery> queries = live(profile, time, s);
        for (SearchedQuery q : queries) {
            if (q.getQueryHash() == hash) {
                if (time >= q.getUsedAt()) {
                    q.setCategoryId(categoryId);
                    q.setUsedAt(time);
                }
                return;
            }
        }
        queries.add(new SearchedQuery(hash, categoryId, time));
        // Bound: the least recently used query goes. A customer's distinct searches over the TTL
        // rarely exceed a handful; the cap holds state flat against bots typing thousands.
        while (queries.size() > s.maxQueries()) {
            int oldest = 0;
            for (int i = 1; i < queries.size(); i++) {
                if (queries.get(i).getUsedAt() < queries.get(oldest).getUsedAt()) {
                    oldest = i;
                }
            }
            queries.remove(oldest);
        }
    }

    /**
     * The profile's remembered queries as a mutable list, without those unused for the TTL as of
     * {@code time}: interests move on, and a query not repeated for a month says little now.
     */
    private static List<SearchedQuery> live(CustomerProfile profile, long time, SearchSettings s) {
        List<SearchedQuery> queries = profile.getSearchedQueries();
        boolean expired = false;
        for (SearchedQuery q : queries) {
            expired |= q.getUsedAt() < time - s.queryTtlMillis();
        }
        if (!expired && queries instanceof ArrayList) {
            return queries;
        }
        List<SearchedQuery> out = new ArrayList<>(queries.size() + 1);
        for (SearchedQuery q : queries) {
            if (q.getUsedAt() >= time - s.queryTtlMillis()) {
                out.add(q);
            }
        }
        profile.setSearchedQueries(out);
        return out;
    }

    /** The most frequent entry, the later one on a tie. */
    static String mostFrequent(List<String> values) {
        String best = null;
        int bestCount = 0;
        for (int i = 0; i < values.size(); i++) {
            int count = 0;
            for (String other : values) {
                if (other.equals(values.get(i))) {
                    count++;
                }
            }
            if (count >= bestCount) {
                best = values.get(i);
                bestCount = count;
            }
        }
        return best;
    }

    private static String minutes(long millis) {
        long minutes = Math.max(1, millis / 60_000);
        return minutes % 60 == 0 ? (minutes / 60) + " h" : minutes + " min";
    }
}
