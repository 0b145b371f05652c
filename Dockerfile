# One image for every meshgate service; docker-compose.yml picks the command (subgraph, gateway, seed).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY cli ./cli
COPY schema ./schema
COPY policies ./policies
COPY subgraphs ./subgraphs
COPY gateway ./gateway
ENV MESHGATE_HOST=0.0.0.0 MESHGATE_DATA_DIR=/data NODE_ENV=production
USER node
ENTRYPOINT ["node", "bin/meshgate.js"]
