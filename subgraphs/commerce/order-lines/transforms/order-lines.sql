-- order-lines: one line per item of each order (input orders-enriched, the domain's own product,
-- read for fulfillment). Each line but the last gets the order's total divided by its item count,
-- truncated to the cent, and the last line the rest, in DECIMAL arithmetic, so an order's lines add
-- up to its total exactly. Tags, the postal code and the fulfilment are functions of the order and
-- line, so a rebuild writes the same values.
WITH lines AS (
  SELECT o.order_id, CAST(r.i AS INTEGER) AS line_number, o.item_count, CAST(o.total_amount AS DECIMAL(12, 2)) AS total, o.shipping_country
  FROM orders_enriched o, range(1, o.item_count + 1) r(i)
  WHERE o.item_count > 0
),
priced AS (
  SELECT *, CAST(floor(total * 100 / item_count) / 100 AS DECIMAL(12, 2)) AS share, hash(order_id || '#' || line_number) AS h FROM lines
)
SELECT
  CAST(order_id AS VARCHAR) AS order_id,
  line_number,
  'SKU-' || lpad(CAST(h % 5000 AS VARCHAR), 5, '0') AS sku,
  CAST(1 AS INTEGER) AS quantity,
  CAST(CASE WHEN line_number < item_count THEN share ELSE total - share * (item_count - 1) END AS DECIMAL(12, 2)) AS line_amount,
  CASE h % 5 WHEN 0 THEN ['gift'] WHEN 1 THEN ['fragile', 'bulky'] WHEN 2 THEN ['express'] ELSE CAST([] AS VARCHAR[]) END AS tags,
  struct_pack(country := CAST(shipping_country AS VARCHAR), postal_code := lpad(CAST(hash(order_id) % 100000 AS VARCHAR), 5, '0')) AS ship_to,
  CASE h % 7 WHEN 0 THEN 'dropship' WHEN 1 THEN 'store' ELSE 'warehouse' END AS fulfilment
FROM priced
