-- shipment-events: the carrier's events of every line of an order that shipped (inputs
-- orders-enriched and order-lines, the domain's own products, read for fulfillment): "shipped" a day
-- after the order, "delivered" three days after it for orders delivered or returned. Every value is a
-- function of the line, so a rebuild writes the same events; the tracking id is a UUID made from the
-- line's hash.
WITH shipped AS (
  SELECT l.order_id, l.line_number, o.order_ts, CAST(o.status AS VARCHAR) AS status, hash(l.order_id || '#' || l.line_number) AS h
  FROM order_lines l
  JOIN orders_enriched o ON o.order_id = l.order_id
  WHERE CAST(o.status AS VARCHAR) IN ('shipped', 'delivered', 'returned')
),
events AS (
  SELECT *, 'shipped' AS event_type, order_ts + INTERVAL 1 DAY + to_minutes(CAST(h % 600 AS BIGINT)) AS event_ts FROM shipped
  UNION ALL
  SELECT *, 'delivered' AS event_type, order_ts + INTERVAL 3 DAY + to_minutes(CAST(h % 600 AS BIGINT)) AS event_ts FROM shipped WHERE status IN ('delivered', 'returned')
)
SELECT
  CAST(order_id AS VARCHAR) AS order_id,
  CAST(line_number AS INTEGER) AS line_number,
  event_type,
  CAST(event_ts AS TIMESTAMP) AS event_ts,
  CAST(event_ts AS TIME) AS event_time,
  CAST(md5(order_id || '#' || line_number) AS UUID) AS tracking_id,
  CASE h % 3 WHEN 0 THEN 'DHL' WHEN 1 THEN 'UPS' ELSE 'GLS' END AS carrier,
  CAST((h % 20000) / 1000 + 0.1 AS DECIMAL(8, 3)) AS weight_kg,
  CASE WHEN h % 4 = 0 THEN ['tracking+' || lower(order_id) || '@carrier.example', 'ops@shop.example'] ELSE ['tracking+' || lower(order_id) || '@carrier.example'] END AS notify,
  CAST(json_object('depot', 'D' || CAST(h % 40 AS VARCHAR), 'scan', event_type) AS JSON) AS details
FROM events
