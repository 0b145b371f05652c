# One image for every meshgate service; docker-compose.yml picks the command (seed, build,
# subgraph, gateway). Production runs the compiled JavaScript (`npm run build`) on Node 22 LTS;
# tsx and the other development tools never enter the final image.

# The build: every dependency, then tsc and the assets the code reads beside it (dist/).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json .env.example ./
COPY scripts ./scripts
COPY cli ./cli
COPY schema ./schema
COPY policies ./policies
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY bench ./bench
COPY schema-registry ./schema-registry
RUN npm run build

# The runtime dependencies alone (DuckDB's native binding comes with its platform package).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production MESHGATE_HOST=0.0.0.0 MESHGATE_DATA_DIR=/data MESHGATE_STATE_DIR=/tmp/meshgate
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The data root, and the access log's folder a second volume mounts inside it: a named volume
# takes its owner from the image's folder on first use, so both must belong to the user that writes.
# And DuckDB's spill folder: an in-memory database spills to .tmp in its working directory when a
# query outgrows MESHGATE_DUCKDB_MEMORY (with a read-only root file system, mount a scratch volume there).
RUN mkdir -p /data/governance /app/.tmp && chown -R node:node /data /app/.tmp
USER node
# No HEALTHCHECK here: one image runs several services on different ports (and seed and build
# exit); each long-running service's check is in docker-compose.yml.
ENTRYPOINT ["node", "dist/cli/bin.js"]
CMD ["--help"]
