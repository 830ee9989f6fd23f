package io.p13n.cli.traffic;

/**
 * One item of the simulated catalogue. Its category and price never change for a given seed, so
 * order lines can be checked against the catalogue and category affinities stay meaningful.
 *
 * @param id product id as it appears in events ({@code p00042})
 * @param categoryId the one category the product belongs to
 * @param price unit price in USD
 */
public record Product(String id, String categoryId, double price) {}
