-- orders-enriched: one row per order of the shop's orders table (input orders-db, postgres-cdc: the
-- table as its change stream leaves it, deleted orders gone), enriched from the customers domain's
-- customer-profiles product (read as service:commerce for analytics, PII masked: only customer_id
-- and country are used). The order system stores no order date, and no shipping country when an
-- order ships to the customer's own country. A LEFT JOIN, so an order of an unknown customer is not
-- dropped silently: the contract's reference test refuses the version instead. Times come as text
-- with a UTC offset (the change stream's ISO-8601, PostgreSQL's timestamptz): read with the offset
-- (as TIMESTAMPTZ; the build reads in UTC) and kept in UTC.
WITH orders AS (
  SELECT * REPLACE (CAST(CAST(order_ts AS TIMESTAMPTZ) AS TIMESTAMP) AS order_ts)
  FROM orders_db
)
SELECT
  CAST(o.order_id AS VARCHAR) AS order_id,
  CAST(o.customer_id AS VARCHAR) AS customer_id,
  o.order_ts,
  CAST(o.order_ts AS DATE) AS order_date,
  CAST(o.status AS VARCHAR) AS status,
  CAST(o.channel AS VARCHAR) AS channel,
  CAST(o.item_count AS INTEGER) AS item_count,
  CAST(o.total_amount AS DOUBLE) AS total_amount,
  CAST(o.discount_amount AS DOUBLE) AS discount_amount,
  CAST(o.currency AS VARCHAR) AS currency,
  CAST(coalesce(o.ship_to_country, c.country) AS VARCHAR) AS shipping_country
FROM orders o
LEFT JOIN customer_profiles c ON c.customer_id = o.customer_id
