# One customer-escalation MCP server for a whole team, over streamable HTTP (see docs/DEPLOY.md).
#   docker build -t customer-escalation .
#   docker run -p 8765:8765 -v ce-data:/data -v "$PWD/token:/run/secrets/token:ro" \
#     --env-file connectors.env customer-escalation --allowed-host escalations.example.com
# The bearer token file is required beyond loopback; connector settings come from the environment (CONNECTORS.md).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CUSTOMER_ESCALATION_HOME=/data
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY tools ./tools
RUN pip install . && useradd --system --uid 10001 --home-dir /data escalations && mkdir -p /data && chown escalations /data
USER escalations
VOLUME ["/data"]
EXPOSE 8765
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8765/healthz', timeout=4)"
ENTRYPOINT ["customer-escalation", "serve", "--transport", "http", "--host", "0.0.0.0", "--port", "8765", "--token-file", "/run/secrets/token"]
