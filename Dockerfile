# One image for every service (ledger, relay, api) and the one-shot commands (migrate); the command picks which.
#   docker build -t compute-allocation-ledger:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json && node scripts/copy-assets.js \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
# The API by default; compose and Kubernetes set the command of each service.
EXPOSE 3000 3001 3002
CMD ["node", "dist/apps/api/src/main.js"]
