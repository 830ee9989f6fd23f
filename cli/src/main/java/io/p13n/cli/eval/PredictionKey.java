package io.p13n.cli.eval;

/**
 * A next-item prediction: made in session {@code sessionId} after the click at 0-based {@code
 * position}.
 */
record PredictionKey(String sessionId, int position) {}
