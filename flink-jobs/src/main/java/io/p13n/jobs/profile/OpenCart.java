package io.p13n.jobs.profile;

import io.p13n.model.CartItem;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer's open cart: products added and not removed or bought, bounded to {@code maxItems}
 * distinct products (the oldest line goes first). Any change re-arms the abandonment signal.
 */
public final class OpenCart {
    private OpenCart() {}

    public static void add(
            CustomerProfile profile,
            String productId,
            String categoryId,
            int quantity,
            double unitPrice,
            long time,
            int maxItems) {
        List<CartItem> cart = mutable(profile);
        for (CartItem item : cart) {
            if (item.getProductId().equals(productId)) {
                item.setQuantity(item.getQuantity() + quantity);
                item.setUnitPrice(unitPrice);
                item.setAddedAt(Math.max(item.getAddedAt(), time));
                profile.setCartAbandonedSignalled(false);
                return;
            }
        }
        cart.add(new CartItem(productId, categoryId, quantity, unitPrice, time));
        while (cart.size() > maxItems) {
            cart.remove(oldest(cart));
        }
        profile.setCartAbandonedSignalled(false);
    }

    /** Takes {@code quantity} of the product out of the cart (null: all of it). */
    public static void remove(CustomerProfile profile, String productId, Integer quantity) {
        List<CartItem> cart = mutable(profile);
        for (int i = 0; i < cart.size(); i++) {
            CartItem item = cart.get(i);
            if (item.getProductId().equals(productId)) {
                int left = quantity == null ? 0 : item.getQuantity() - quantity;
                if (left > 0) {
                    item.setQuantity(left);
                } else {
                    cart.remove(i);
                }
                profile.setCartAbandonedSignalled(false);
                return;
            }
        }
    }

    /** An order takes its products out of the cart. */
    public static void removeBought(CustomerProfile profile, List<OrderLine> lines) {
        for (OrderLine line : lines) {
            remove(profile, line.getProductId(), line.getQuantity());
        }
    }

    public static double value(CustomerProfile profile) {
        double value = 0;
        for (CartItem item : profile.getCart()) {
            value += item.getQuantity() * item.getUnitPrice();
        }
        return value;
    }

    /** When the cart last changed by an add; 0 for an empty cart. */
    public static long lastAddedAt(CustomerProfile profile) {
        long last = 0;
        for (CartItem item : profile.getCart()) {
            last = Math.max(last, item.getAddedAt());
        }
        return last;
    }

    private static int oldest(List<CartItem> cart) {
        int oldest = 0;
        for (int i = 1; i < cart.size(); i++) {
            if (cart.get(i).getAddedAt() < cart.get(oldest).getAddedAt()) {
                oldest = i;
            }
        }
        return oldest;
    }

    private static List<CartItem> mutable(CustomerProfile profile) {
        List<CartItem> cart = profile.getCart();
        if (!(cart instanceof ArrayList)) {
            cart = new ArrayList<>(cart);
            profile.setCart(cart);
        }
        return cart;
    }
}
