-- payments: one row per payment attempt, from the payment service provider's settlement records
-- (input psp-settlements: JSON lines), for the orders the commerce domain knows (input
-- orders-enriched, read as service:payments for finance): the PSP also reports payments of test
-- orders that were deleted since, which the inner join leaves out. Amounts come in minor units;
-- the PSP's status words are mapped to the contract's.
SELECT
  CAST(s.merchant_reference AS VARCHAR) AS payment_id,
  CAST(o.order_id AS VARCHAR) AS order_id,
  CAST(lower(trim(s.method)) AS VARCHAR) AS method,
  CAST(s.card_number AS VARCHAR) AS card_number,
  CAST(s.amount_cents / 100 AS DOUBLE) AS amount,
  CAST(s.amount_cents AS BIGINT) AS amount_cents,
  CAST(upper(s.currency) AS VARCHAR) AS currency,
  CAST(
    CASE upper(s.status)
      WHEN 'AUTHORISED' THEN 'authorized'
      WHEN 'SETTLED' THEN 'captured'
      WHEN 'REFUNDED' THEN 'refunded'
      WHEN 'REFUSED' THEN 'failed'
    END AS VARCHAR
  ) AS status,
  CAST(CAST(s.processed_at AS TIMESTAMPTZ) AS TIMESTAMP) AS paid_at
FROM psp_settlements s
JOIN orders_enriched o ON o.order_id = s.order_id
