# envdesk in a container: `docker build -t envdesk .`, then see README § "Run it on Kubernetes".
# Build stage: every dependency, then the server bundle, the CLI and the web app.
FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 compiles when no prebuilt binary matches the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime stage: Node, the production dependencies and what the build made; nothing else.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3939 \
    ENVDESK_DATA_DIR=/var/lib/envdesk
WORKDIR /opt/envdesk
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages/domain/package.json packages/domain/
COPY --from=build /src/packages/domain/dist packages/domain/dist
COPY --from=build /src/apps/server/package.json apps/server/
COPY --from=build /src/apps/server/bin apps/server/bin
COPY --from=build /src/apps/server/dist apps/server/dist
COPY --from=build /src/apps/web/dist apps/web/dist
RUN mkdir -p /var/lib/envdesk && chown node:node /var/lib/envdesk
# The data folder: the SQLite database (when DATABASE_URL is not set) and the key sealing content variables.
VOLUME /var/lib/envdesk
USER node
EXPOSE 3939
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3939) + '/__ready__').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "apps/server/dist/bundle/main.js"]
