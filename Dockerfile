# Commune assistant: the Node 20 service, run straight from TypeScript with tsx (a runtime dependency).
# Build and run with docker compose (see docker-compose.yml), which also starts PostgreSQL with pgvector.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so this layer is cached until package*.json change.
# Dev dependencies (vitest, typescript, @types) are left out; tsx is a regular dependency.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Application files. .dockerignore lets in only src, knowledge, prompts, package*.json and tsconfig.json,
# so `COPY . .` still works while knowledge/ or prompts/ are empty or absent.
COPY . .
RUN mkdir -p /app/knowledge /app/prompts /data && chown node:node /data

ENV DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
EXPOSE 3000

# Runtime data (embedded database, caches) lives in /data; mount a volume there.
VOLUME ["/data"]
USER node

CMD ["npm", "start"]
