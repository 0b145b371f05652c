/**
 * The example operations of the GraphiQL page, as data: the welcome tab's first query, then one
 * tab per example. The gateway shows those that validate against the graph it serves, and a test
 * runs every one against the sample mesh as an analyst, so an example that breaks fails CI.
 */

/** One example operation: a tab of the GraphiQL page. */
export interface GraphiQLExample {
  /** What it shows, in a sentence: the comment at the top of its tab. */
  readonly title: string;
  /** One named operation; GraphiQL names the tab after the operation. */
  readonly query: string;
  /** Its variables, if it takes any. */
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** The welcome tab's own query: a first read that shows the masks at once. */
export const WELCOME_EXAMPLE: GraphiQLExample = {
  title: 'A first query: three customers, as your token lets you read them (an analyst sees names and emails masked).',
  query: `query Welcome {
  customers(limit: 3, orderBy: [{ customerId: ASC }]) {
    customerId
    fullName
    email
    country
    segment
  }
}`,
};

/** Examples over the sample mesh's products, one per way of reading a product. */
export const MESH_EXAMPLES: readonly GraphiQLExample[] = Object.freeze([
  {
    title: 'Orders shipped to Germany or Austria, newest first, each with its customer from the customers domain (email masked for an analyst).',
    query: `query OrdersWithCustomers {
  orders(where: { shippingCountry: { in: ["DE", "AT"] } }, orderBy: [{ orderTs: DESC }], limit: 5) {
    orderId
    orderTs
    totalAmount
    currency
    status
    customer {
      customerId
      fullName
      email
      country
    }
  }
}`,
  },
  {
    title: 'A page of orders through a connection: pass pageInfo.endCursor as "after" in the variables for the next page.',
    query: `query OrdersPage($first: Int!, $after: String) {
  ordersConnection(orderBy: [{ orderTs: DESC }], first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        orderId
        orderTs
        totalAmount
        status
      }
    }
  }
}`,
    variables: { first: 10, after: null },
  },
  {
    title: 'Revenue by shipping country: an aggregate, grouped in DuckDB, never row by row.',
    query: `query RevenueByCountry {
  ordersAggregate(groupBy: [SHIPPING_COUNTRY]) {
    key {
      shippingCountry
    }
    count
    sum {
      totalAmount
    }
    avg {
      totalAmount
      itemCount
    }
  }
}`,
  },
  {
    title: "Revenue per week, top countries first: the contract's own measures, in UTC time buckets, with a having filter.",
    query: `query WeeklyRevenue {
  ordersAggregate(groupBy: [SHIPPING_COUNTRY], buckets: [{ field: ORDER_TS, unit: WEEK }], having: { count: { gte: 5 } }, orderBy: [{ revenue: DESC }], limit: 10) {
    key {
      orderTs
      shippingCountry
    }
    count
    revenue
    customers
    median {
      totalAmount
    }
    percentile(p: 0.9) {
      totalAmount
    }
  }
}`,
  },
  {
    title: 'The latest payments, each with its order (commerce) and the customer of that order (customers): three domains in one query; card numbers show their last four digits.',
    query: `query PaymentsWithTheirOrder {
  payments(orderBy: [{ paidAt: DESC }], limit: 5) {
    paymentId
    paidAt
    method
    cardNumber
    amount
    currency
    status
    order {
      orderId
      totalAmount
      customer {
        customerId
        country
      }
    }
  }
}`,
  },
  {
    title: 'One customer by key (a variable), with their latest orders and the payments of those orders, contributed by two other domains.',
    query: `query CustomerWithOrders($customerId: ID!) {
  customer(customerId: $customerId) {
    customerId
    fullName
    segment
    country
    orders(orderBy: [{ orderTs: DESC }], limit: 3) {
      orderId
      orderTs
      totalAmount
      payments {
        method
        amount
        status
      }
    }
  }
}`,
    variables: { customerId: 'C0000042' },
  },
]);

/** Examples over the catalog (`dataProducts`, `dataProduct`, `lineage`): finding a product, what you would get of it, where it comes from. */
export const CATALOG_EXAMPLES: readonly GraphiQLExample[] = Object.freeze([
  {
    title: 'Find a product: the catalog ranks names, descriptions, fields, tags and owners; you see the products you may read, each with its SLA measured now.',
    query: `query FindProducts($search: String) {
  dataProducts(search: $search) {
    name
    domain
    owner
    description
    tags
    status
    slaStatus {
      ok
      fresh
      ageSeconds
      problems
    }
  }
}`,
    variables: { search: 'email' },
  },
  {
    title:
      'One product as you would read it: each field with its classification and your mask, the served version and its contract tests, a profile of your rows, a masked sample.',
    query: `query ProductPage($name: String!) {
  dataProduct(name: $name) {
    name
    graphqlType
    rootFields {
      list
    }
    fields {
      name
      type
      classification
      access
      mask
    }
    currentVersion {
      version
      testsPassed
      testsFailed
    }
    profile {
      rows
      columns {
        field
        nullShare
        distinctCount
        withheld
      }
    }
    sample(limit: 3) {
      fields
      rows
    }
    usage {
      last7Days {
        queries
        consumers
      }
    }
  }
}`,
    variables: { name: 'customer-profiles' },
  },
  {
    title: 'Lineage across domains: operational sources, products and how data flows between them, with the column edges the transforms give.',
    query: `query MeshLineage {
  lineage {
    nodes {
      id
      kind
      name
      domain
    }
    edges {
      from
      to
      kind
    }
    columns {
      from
      fromColumn
      to
      toColumn
      kind
    }
  }
}`,
  },
]);

/** Every example, in the order of the page's tabs (after the welcome tab). */
export const EXAMPLES: readonly GraphiQLExample[] = Object.freeze([...MESH_EXAMPLES, ...CATALOG_EXAMPLES]);
