# The edge: nginx with the platform's configuration and the built dashboard.
FROM node:20-bookworm-slim AS dashboard
WORKDIR /dashboard
COPY src/dashboard/package.json src/dashboard/package-lock.json ./
RUN npm install --no-audit --no-fund
COPY src/dashboard/ ./
RUN npm run build

FROM nginx:1.27-bookworm
COPY ops/nginx/nginx.conf.template /tmp/nginx.conf.template
RUN mkdir -p /var/run/nginx-edge /var/log/nginx \
 && sed -e 's#${LISTEN}#8080#g' \
        -e 's#${RUN_DIR}#/var/run/nginx-edge#g' \
        -e 's#${LOG_DIR}#/var/log/nginx#g' \
        -e 's#${DASHBOARD_ROOT}#/usr/share/nginx/dashboard#g' \
        -e 's#${IDENTITY}#identity:8080#g;s#${REPORTS}#reports:8080#g;s#${ALERTS}#alerts:8080#g;s#${TRIAGE}#triage:8080#g;s#${SEVERITY}#severity:8080#g;s#${DRILLS}#drills:8080#g' \
        /tmp/nginx.conf.template > /etc/nginx/nginx.conf
COPY --from=dashboard /dashboard/dist /usr/share/nginx/dashboard
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
