# Luyu (路域) application image: Express API + built React client.
# The database is external (DATABASE_URL, see docker-compose.yml).
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# The lockfile is written by npm 11 (as on the dev machines and CI).
RUN npm install -g npm@11 && npm --version

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, for layer caching. devDependencies are included on purpose
# (`npm ci` ignores NODE_ENV only with --include=dev): the client build needs the
# full tree, and the server runs TypeScript through tsx.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --include=dev

COPY --chown=node:node . .
RUN npm run build

EXPOSE 8080
CMD ["npm", "start"]
