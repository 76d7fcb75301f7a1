# Luyu (路域) application image: Express API + built React client.
# The database is external (DATABASE_URL, see docker-compose.yml).
# Node 22 LTS in the image; the code stays compatible with the Node 20 of the CI machines.
FROM node:22-bookworm-slim

ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# The lockfile is written by npm 11 (as on the dev machines and CI).
RUN npm install -g npm@11 && npm --version

WORKDIR /app
# Volumes for photos and uploads (docker-compose.yml) are created owned by the app's user.
RUN chown node:node /app && mkdir -p /data/photos /data/uploads && chown -R node:node /data
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
