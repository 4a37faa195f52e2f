# Web app image: multi-stage, runs as a non-root user. It starts the app exactly as `npm start`
# does (node dist/serve.mjs: Next's request handler behind our own HTTP server, which records the
# socket address in X-Forwarded-For so clients cannot choose their rate-limit bucket).
#   docker build -t adinsights-web .
#   docker run -p 3000:3000 -e DATABASE_URL=... -e SECRET_KEY=... -e REDIS_URL=... adinsights-web
# Run `node dist/migrate.mjs` (same image) once per release before starting new web containers.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies patches/ (postinstall: patch-package).
COPY patches ./patches
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies patches/ (postinstall: patch-package).
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
RUN groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --home /app app
COPY --from=prod-deps --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/package.json /app/next.config.ts ./
# next.config.ts is read at start and imports the security headers.
COPY --from=build --chown=app:app /app/server/http/security-headers.ts ./server/http/security-headers.ts
COPY --from=build --chown=app:app /app/.next ./.next
COPY --from=build --chown=app:app /app/dist/serve.mjs ./dist/serve.mjs
COPY --from=build --chown=app:app /app/public ./public
# Migrations (SQL + the bundled runner) so the same image can migrate before a release.
COPY --from=build --chown=app:app /app/drizzle ./drizzle
COPY --from=build --chown=app:app /app/dist/migrate.mjs ./dist/migrate.mjs
USER app
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/serve.mjs"]
