# One image for every service of the stack; docker-compose.yml runs it with a different command each
# (ingest, aggregate, sink). Build: docker build -t ada-carbon:latest .   (or: docker-compose build)
#
# Stage 1 builds the application with Maven (tests are run by CI, not here).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY core/pom.xml core/
COPY schemas/pom.xml schemas/
COPY ingest/pom.xml ingest/
COPY aggregator/pom.xml aggregator/
COPY sink/pom.xml sink/
COPY kafka/pom.xml kafka/
COPY stack/pom.xml stack/
COPY report/pom.xml report/
COPY bench/pom.xml bench/
COPY app/pom.xml app/
# Dependencies first, so that a change of source does not download them again.
RUN mvn -B -q -DskipTests dependency:go-offline || true
COPY . .
RUN mvn -B -q -DskipTests package

# Stage 2: a slim Java 17 runtime with the application jar and its runtime dependencies.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 ada \
 && useradd --system --uid 10001 --gid ada --home-dir /var/lib/ada-carbon ada \
 && mkdir -p /var/lib/ada-carbon/db /var/lib/ada-carbon/streams /var/lib/ada-carbon/checkpoints \
 && chown -R ada:ada /var/lib/ada-carbon
COPY --from=build /src/app/target/ada-carbon.jar /opt/ada-carbon/ada-carbon.jar
COPY --from=build /src/app/target/lib/ /opt/ada-carbon/lib/
USER ada
WORKDIR /var/lib/ada-carbon
# /health and /metrics: ingest 9400, aggregator 9401, sink 9402 (each command's --metrics-port). They
# listen on 127.0.0.1 unless --metrics-bind says otherwise: docker-compose.yml passes 0.0.0.0.
EXPOSE 9400 9401 9402
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/ada-carbon/ada-carbon.jar:/opt/ada-carbon/lib/*", "ada.carbon.app.Main"]
CMD ["--help"]
