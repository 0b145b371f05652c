-- customer-profiles: the customers domain's golden record, one row per account, from the CRM's
-- account exports (input crm-accounts: CSV files, a full export and the later ones). An account
-- changed since an export appears again in a later one: its latest version (by updated_at) wins.
-- The CRM's users type emails as they come (capitals, spaces around them); consent is Y/N.
-- Every column is cast to its contract type, whatever types the CSV reader guessed; an instant is
-- read with its UTC offset (as TIMESTAMPTZ) and kept in UTC, as the contract's TIMESTAMPs are.
WITH latest AS (
  SELECT *
  FROM crm_accounts
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY CAST(CAST(updated_at AS TIMESTAMPTZ) AS TIMESTAMP) DESC) = 1
)
SELECT
  CAST(customer_id AS VARCHAR) AS customer_id,
  CAST(first_name || ' ' || last_name AS VARCHAR) AS full_name,
  CAST(lower(trim(email)) AS VARCHAR) AS email,
  CAST(nullif(trim(phone), '') AS VARCHAR) AS phone,
  CAST(birth_date AS DATE) AS birth_date,
  CAST(upper(trim(country)) AS VARCHAR) AS country,
  CAST(city AS VARCHAR) AS city,
  CAST(lower(trim(segment)) AS VARCHAR) AS segment,
  CAST(CAST(signup_at AS TIMESTAMPTZ) AS TIMESTAMP) AS signup_at,
  CAST(lifetime_value AS DOUBLE) AS lifetime_value,
  CAST(upper(trim(CAST(marketing_opt_in AS VARCHAR))) IN ('Y', 'YES', 'TRUE') AS BOOLEAN) AS marketing_opt_in
FROM latest
