package ada.carbon.app.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, one node that is both broker and controller) run in a child JVM
 * from the Kafka jars on this process's classpath, keeping all its state in one data directory.
 *
 * <h2>Data directory layout</h2>
 *
 * <ul>
 *   <li>{@code server.properties}: the broker configuration, rewritten at each start (ports may change);
 *   <li>{@code cluster.id}: the KRaft cluster id, chosen once;
 *   <li>{@code kafka-logs/}: the broker's log and metadata directory, formatted once;
 *   <li>{@code broker.log} (and {@code broker.N.log}): the broker's own log, written by the child's
 *       logback ({@code ada/carbon/app/broker/broker-logback.xml});
 *   <li>{@code broker.out}: the child's stdout and stderr (normally almost empty), {@code format.out}:
 *       the output of the one-time storage format;
 *   <li>{@code broker.pid}, {@code broker.port}, {@code broker.owner}: the running broker's process id,
 *       its PLAINTEXT port and the process id of the JVM that owns it; {@code broker.lock}: serialises
 *       starts between processes.
 * </ul>
 *
 * <h2>Starting, reusing and owning</h2>
 *
 * {@link #start(Path)} first looks at {@code broker.pid}: if that process is alive and a broker of this
 * data directory's cluster answers on {@code broker.port}, it is reused and no second broker is started
 * ({@link #reused()} is then true). Otherwise stale files are removed, the storage is formatted if it
 * never was, and a new child is started on the previous ports when they are free (else on new free
 * loopback ports), after which {@code start} waits until an {@code Admin.describeCluster} succeeds.
 *
 * <p>Ownership: the instance that started the child owns it, and so does an instance that reuses a
 * broker whose recorded owner process is dead (it adopts the orphan). {@link #close()} of an owner stops
 * the broker (SIGTERM, up to the stop timeout, 20 s by default, then SIGKILL), and a JVM shutdown hook does
 * the same. {@link #close()} of an instance that merely reuses a broker owned by another live instance or
 * process leaves the broker running: its owner stops it. By default the child also exits by itself when
 * the owning JVM dies, even by SIGKILL (it watches a pipe from the parent, see {@link BrokerChildMain}),
 * so the broker never outlives the process that started it.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  /** The host the broker listens on and advertises. */
  public static final String HOST = "127.0.0.1";

  static final String LOGBACK_RESOURCE = "ada/carbon/app/broker/broker-logback.xml";
  /**
   * The system property naming the data directory in the child's command line: it marks the process as
   * the broker of that directory and tells the child's logback where to write.
   */
  static final String DATA_DIR_PROPERTY = "ada.carbon.broker.dataDir";
  static final String SERVER_PROPERTIES = "server.properties";
  static final String CLUSTER_ID_FILE = "cluster.id";
  static final String LOG_DIR = "kafka-logs";
  static final String PID_FILE = "broker.pid";
  static final String PORT_FILE = "broker.port";
  static final String OWNER_FILE = "broker.owner";
  static final String LOCK_FILE = "broker.lock";
  static final String BROKER_LOG = "broker.log";
  static final String BROKER_OUT = "broker.out";
  static final String FORMAT_OUT = "format.out";

  /**
   * Serialises the starts of one data directory inside this JVM (the file lock, which a JVM may hold only
   * once, serialises them between processes).
   */
  private static final ConcurrentMap<Path, Object> START_LOCKS = new ConcurrentHashMap<>();

  private final Path dataDir;
  private final int port;
  /** The ports of the listeners added with {@link Builder#listener}, by listener name. */
  private final Map<String, Integer> listenerPorts;
  private final String clusterId;
  private final ProcessHandle handle;
  private final Process process; // null when the broker was not started by this instance
  private final boolean reused;
  private final boolean owned;
  private final Duration stopTimeout;
  private final Duration adminTimeout;
  private volatile Thread shutdownHook;
  private boolean closed;

  private EmbeddedBroker(
      Path dataDir,
      int port,
      Map<String, Integer> listenerPorts,
      String clusterId,
      ProcessHandle handle,
      Process process,
      boolean reused,
      boolean owned,
      Duration stopTimeout,
      Duration adminTimeout) {
    this.dataDir = dataDir;
    this.port = port;
    this.listenerPorts = Map.copyOf(listenerPorts);
    this.clusterId = clusterId;
    this.handle = handle;
    this.process = process;
    this.reused = reused;
    this.owned = owned;
    this.stopTimeout = stopTimeout;
    this.adminTimeout = adminTimeout;
    if (owned) {
      shutdownHook = new Thread(this::stopOnShutdown, "ada-carbon-broker-shutdown-" + handle.pid());
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      shutdownHook = null;
    }
  }

  /** Starts (or reuses) the broker of {@code dataDir} with the default settings. */
  public static EmbeddedBroker start(Path dataDir) {
    return builder(dataDir).start();
  }

  /** A builder for a broker keeping its state in {@code dataDir}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** {@code 127.0.0.1:<port>} of a listener added with {@link Builder#listener}. */
  public String bootstrapServers(String listener) {
    Integer listenerPort = listenerPorts.get(listener);
    if (listenerPort == null) {
      throw new IllegalArgumentException("the broker of " + dataDir + " has no listener " + listener + "; it has "
          + listenerPorts.keySet());
    }
    return HOST + ":" + listenerPort;
  }

  /** The PLAINTEXT port. */
  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The KRaft cluster id, kept in {@code dataDir/cluster.id}. */
  public String clusterId() {
    return clusterId;
  }

  /** The process id of the broker's JVM. */
  public long pid() {
    return handle.pid();
  }

  /** The broker's process. */
  public ProcessHandle process() {
    return handle;
  }

  /** True when {@link #start} found the broker already running and did not start one. */
  public boolean reused() {
    return reused;
  }

  /** True when {@link #close()} stops the broker (this instance started it, or adopted an orphan). */
  public boolean owned() {
    return owned;
  }

  /** Whether the broker process is alive. */
  public boolean isAlive() {
    return handle.isAlive();
  }

  /** Admin client settings for this broker, a starting point for other clients too. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  /** A new admin client for this broker; the caller closes it. */
  public Admin createAdmin() {
    Map<String, Object> config = clientConfig();
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ada-carbon-embedded-broker-admin");
    return Admin.create(config);
  }

  /** Varargs form of {@link #ensureTopics(Collection)}. */
  public Set<String> ensureTopics(NewTopic... topics) {
    return ensureTopics(Arrays.asList(topics));
  }

  /**
   * Creates those of {@code topics} that do not exist yet, and waits until every one of {@code topics}
   * has a leader for each partition. Existing topics are left as they are (their partition count and
   * configs are not changed). Idempotent, also when another client creates the same topics at the same
   * time.
   *
   * @return the names of the topics this call created
   */
  public Set<String> ensureTopics(Collection<NewTopic> topics) {
    Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toCollection(LinkedHashSet::new));
    if (names.isEmpty()) {
      return Set.of();
    }
    Set<String> created = new LinkedHashSet<>();
    try (Admin admin = createAdmin()) {
      Set<String> existing =
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        CreateTopicsResult result = admin.createTopics(missing);
        for (NewTopic topic : missing) {
          try {
            result.values().get(topic.name()).get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS);
            created.add(topic.name());
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw new IllegalStateException("Cannot create topic " + topic.name() + " on " + bootstrapServers(), e.getCause());
            }
          }
        }
      }
      awaitLeaders(admin, names);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics " + names, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create topics " + names + " on " + bootstrapServers(), e);
    }
    if (!created.isEmpty()) {
      log.info("Created topics {} on {}", created, bootstrapServers());
    }
    return created;
  }

  private void awaitLeaders(Admin admin, Set<String> names) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + adminTimeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<String, TopicDescription> descriptions =
            admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(2_000)).allTopicNames().get();
        boolean ready = descriptions.size() == names.size()
            && descriptions.values().stream()
                .flatMap(d -> d.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        last = e; // metadata not propagated yet: retry
      }
      Thread.sleep(50);
    }
    TimeoutException timeout = new TimeoutException("Topics " + names + " have no leaders after " + adminTimeout);
    if (last != null) {
      timeout.initCause(last);
    }
    throw timeout;
  }

  /**
   * Stops the broker if this instance owns it (SIGTERM, then SIGKILL after the stop timeout) and removes
   * its pid files; otherwise only forgets it. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (!owned) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running or will run, harmlessly.
    }
    stop();
  }

  /**
   * Hands this broker's stop at JVM exit to the owner of the clients that use it: {@code onExit} runs instead
   * of the broker's own hook and must close this broker last, after the clients, so that they can finish
   * cleanly. Does nothing for a broker this instance does not own.
   */
  public void replaceShutdownHook(Runnable onExit) {
    synchronized (this) {
      if (!owned || closed) {
        return;
      }
      Thread replacement = new Thread(onExit, "ada-carbon-stack-shutdown-" + handle.pid());
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
      Runtime.getRuntime().addShutdownHook(replacement);
      shutdownHook = replacement;
    }
  }

  private void stopOnShutdown() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stop();
  }

  private void stop() {
    long started = System.nanoTime();
    terminate(handle, stopTimeout);
    if (process != null) {
      closeQuietly(process.getOutputStream());
    }
    deleteRunFilesOf(dataDir, handle.pid());
    log.info("Stopped Kafka broker {} (pid {}) in {} ms", bootstrapServers(), handle.pid(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  @Override
  public String toString() {
    return "EmbeddedBroker[" + bootstrapServers() + ", pid " + handle.pid() + ", " + dataDir
        + (owned ? ", owned" : ", not owned") + "]";
  }

  // ------------------------------------------------------------------------------------------------

  /** Settings of an {@link EmbeddedBroker}; {@link #start()} starts it. */
  public static final class Builder {
    private final Path dataDir;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private Duration adminTimeout = Duration.ofSeconds(30);
    private String maxHeap = "512m";
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<String, String> listeners = new LinkedHashMap<>();
    private final List<String> scramCredentials = new ArrayList<>();
    private String classpath;
    private boolean exitWithParent = true;

    private Builder(Path dataDir) {
      this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** How long to wait for a started broker to answer (default 60 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** How long {@code close()} waits after SIGTERM before SIGKILL (default 20 s). */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = timeout;
      return this;
    }

    /** Timeout of the admin operations of {@link EmbeddedBroker#ensureTopics} (default 30 s). */
    public Builder adminTimeout(Duration timeout) {
      this.adminTimeout = timeout;
      return this;
    }

    /** The child's {@code -Xmx} (default {@code 512m}). */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = maxHeap;
      return this;
    }

    /** An extra JVM option of the child. */
    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    /** Sets or overrides a broker property of {@code server.properties} (e.g. {@code num.partitions}). */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(key, value);
      return this;
    }

    /**
     * Another listener beside PLAINTEXT, on a loopback port of its own ({@link EmbeddedBroker#bootstrapServers(String)}).
     * PLAINTEXT stays: the broker talks to itself and answers the start's readiness probe there. The listener's
     * own settings (keystore, SASL mechanisms) are broker properties, e.g.
     * {@code listener.name.<name>.ssl.keystore.location}.
     *
     * @param name             e.g. {@code SECURE}
     * @param securityProtocol {@code SSL}, {@code SASL_SSL}, {@code SASL_PLAINTEXT} or {@code PLAINTEXT}
     */
    public Builder listener(String name, String securityProtocol) {
      listeners.put(name, securityProtocol);
      return this;
    }

    /**
     * A SCRAM credential written into the cluster's metadata when the storage is formatted, so on the first
     * start of a data directory only (the {@code --add-scram} of Kafka's storage tool).
     *
     * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     */
    public Builder scramCredential(String mechanism, String user, String password) {
      scramCredentials.add(mechanism + "=[name=" + user + ",password=" + password + "]");
      return this;
    }

    /** The child's classpath; by default the expanded classpath of this JVM. */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    /**
     * Whether the child stops by itself when the JVM that started it dies (default true). Without it, a
     * broker whose owner crashed keeps running until a later {@code start} on the same directory adopts
     * it.
     */
    public Builder exitWithParent(boolean exitWithParent) {
      this.exitWithParent = exitWithParent;
      return this;
    }

    /**
     * Reuses the broker running for the data directory, or starts one and waits until it answers.
     *
     * @throws IllegalStateException when the broker cannot be started, with the tail of its log
     * @throws UncheckedIOException when the data directory cannot be written
     */
    public EmbeddedBroker start() {
      synchronized (START_LOCKS.computeIfAbsent(dataDir, d -> new Object())) {
        try {
          Files.createDirectories(dataDir);
          try (FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
              FileLock lock = channel.lock()) {
            return startLocked();
          }
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot start the Kafka broker in " + dataDir, e);
        }
      }
    }

    private EmbeddedBroker startLocked() throws IOException {
      String clusterId = clusterId();
      Optional<EmbeddedBroker> running = reuseRunning(clusterId);
      if (running.isPresent()) {
        return running.get();
      }
      deleteRunFilesOf(dataDir, -1);

      Ports ports = choosePorts();
      Path serverProperties = dataDir.resolve(SERVER_PROPERTIES);
      writeServerProperties(serverProperties, ports);
      String javaCommand = javaCommand();
      String cp = classpath != null ? classpath : childClasspath();
      if (!Files.exists(dataDir.resolve(LOG_DIR).resolve("meta.properties"))) {
        format(javaCommand, cp, serverProperties, clusterId);
      }

      List<String> command = new ArrayList<>();
      command.add(javaCommand);
      command.add("-D" + DATA_DIR_PROPERTY + "=" + dataDir); // first, see isBrokerOf
      command.add("-Xmx" + maxHeap);
      command.add("-XX:+ExitOnOutOfMemoryError");
      command.add("-Djava.awt.headless=true");
      command.add("-Dlogback.configurationFile=" + LOGBACK_RESOURCE);
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(cp);
      command.add(BrokerChildMain.class.getName());
      if (exitWithParent) {
        command.add(BrokerChildMain.EXIT_ON_STDIN_EOF);
      }
      command.add(serverProperties.toString());

      long started = System.nanoTime();
      Process process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(BROKER_OUT).toFile()))
          .start();
      long pid = process.pid();
      try {
        if (!exitWithParent) {
          process.getOutputStream().close(); // the child does not watch its stdin
        }
        writeAtomically(dataDir.resolve(PID_FILE), Long.toString(pid));
        writeAtomically(dataDir.resolve(PORT_FILE), Integer.toString(ports.plaintext));
        writeAtomically(dataDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        awaitReady(process, ports.plaintext, clusterId);
      } catch (IOException | RuntimeException | Error e) {
        terminate(process.toHandle(), Duration.ofSeconds(5));
        deleteRunFilesOf(dataDir, pid);
        throw e;
      }
      EmbeddedBroker broker = new EmbeddedBroker(dataDir, ports.plaintext, ports.listeners, clusterId, process.toHandle(), process,
          false, true, stopTimeout, adminTimeout);
      log.info("Started Kafka broker {} (pid {}, controller port {}) in {} ms, data in {}", broker.bootstrapServers(), pid,
          ports.controller, Duration.ofNanos(System.nanoTime() - started).toMillis(), dataDir);
      return broker;
    }

    /** The running broker of this directory, if its pid is alive and it answers on its port. */
    private Optional<EmbeddedBroker> reuseRunning(String clusterId) throws IOException {
      Optional<Long> pid = readLong(dataDir.resolve(PID_FILE));
      Optional<Long> port = readLong(dataDir.resolve(PORT_FILE));
      if (pid.isEmpty() || port.isEmpty()) {
        return Optional.empty();
      }
      Optional<ProcessHandle> handle = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
      if (handle.isEmpty()) {
        log.info("Kafka broker pid {} of {} is gone; starting a new one", pid.get(), dataDir);
        return Optional.empty();
      }
      Boolean ours = isBrokerOf(handle.get(), dataDir);
      if (Boolean.FALSE.equals(ours)) {
        log.info("Pid {} of {} is no longer its Kafka broker; starting a new one", pid.get(), dataDir);
        return Optional.empty();
      }
      int brokerPort = (int) (long) port.get();
      // An alive broker of ours that does not answer yet may be starting or recovering: give it the
      // start timeout. An unidentified process only gets a short probe.
      Duration patience = Boolean.TRUE.equals(ours) ? startTimeout : Duration.ofSeconds(5);
      long deadline = System.nanoTime() + patience.toNanos();
      Optional<String> answer = Optional.empty();
      try (Prober prober = new Prober(brokerPort)) {
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
          answer = prober.clusterId(Duration.ofSeconds(2));
          if (answer.isPresent()) {
            break;
          }
          sleep(200);
        }
      }
      if (answer.isPresent() && answer.get().equals(clusterId) && handle.get().isAlive()) {
        Optional<Long> owner = readLong(dataDir.resolve(OWNER_FILE));
        boolean ownerAlive = owner.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        boolean adopt = !ownerAlive;
        if (adopt) {
          writeAtomically(dataDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        }
        log.info("Reusing the running Kafka broker {}:{} (pid {}) of {}{}", HOST, brokerPort, pid.get(), dataDir,
            adopt ? "; its owner is gone, this process adopts it" : "; owned by pid " + owner.orElse(-1L));
        Map<String, Integer> listenerPorts = new HashMap<>(previousPorts());
        listenerPorts.keySet().retainAll(listeners.keySet());
        return Optional.of(new EmbeddedBroker(dataDir, brokerPort, listenerPorts, clusterId, handle.get(), null, true, adopt,
            stopTimeout, adminTimeout));
      }
      if (Boolean.TRUE.equals(ours) && handle.get().isAlive()) {
        log.warn("Kafka broker pid {} of {} is alive but has not answered on port {} for {}; killing it",
            pid.get(), dataDir, brokerPort, patience);
        terminate(handle.get(), stopTimeout);
      } else if (answer.isPresent() && !answer.get().equals(clusterId)) {
        log.warn("Port {} answers for cluster {} rather than {} of {}; ignoring it", brokerPort, answer.get(), clusterId,
            dataDir);
      }
      return Optional.empty();
    }

    /** The cluster id of the data directory, chosen and saved on the first start. */
    private String clusterId() throws IOException {
      Path metaProperties = dataDir.resolve(LOG_DIR).resolve("meta.properties");
      Path idFile = dataDir.resolve(CLUSTER_ID_FILE);
      if (Files.exists(metaProperties)) {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
          meta.load(in);
        }
        String id = meta.getProperty("cluster.id");
        if (id != null && !id.isBlank()) {
          if (!Files.exists(idFile) || !Files.readString(idFile).trim().equals(id)) {
            writeAtomically(idFile, id);
          }
          return id;
        }
      }
      if (Files.exists(idFile)) {
        String id = Files.readString(idFile).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      String id = Uuid.randomUuid().toString();
      writeAtomically(idFile, id);
      return id;
    }

    /** The ports of the listeners of the last {@code server.properties}, by listener name. */
    private Map<String, Integer> previousPorts() throws IOException {
      Path serverProperties = dataDir.resolve(SERVER_PROPERTIES);
      Map<String, Integer> ports = new HashMap<>();
      if (Files.exists(serverProperties)) {
        Properties previous = new Properties();
        try (InputStream in = Files.newInputStream(serverProperties)) {
          previous.load(in);
        }
        for (String listener : previous.getProperty("listeners", "").split(",")) {
          String[] nameAndAddress = listener.trim().split("://", 2);
          if (nameAndAddress.length != 2) {
            continue;
          }
          int colon = nameAndAddress[1].lastIndexOf(':');
          try {
            ports.put(nameAndAddress[0], Integer.parseInt(nameAndAddress[1].substring(colon + 1)));
          } catch (NumberFormatException e) {
            // not a port: choose a new one
          }
        }
      }
      return ports;
    }

    /** The previous ports where they are still free, new free loopback ports otherwise. */
    private Ports choosePorts() throws IOException {
      Map<String, Integer> previous = previousPorts();
      Set<Integer> taken = new HashSet<>();
      int plaintext = portFor(previous.get("PLAINTEXT"), taken);
      int controller = portFor(previous.get("CONTROLLER"), taken);
      Map<String, Integer> added = new LinkedHashMap<>();
      for (String name : listeners.keySet()) {
        added.put(name, portFor(previous.get(name), taken));
      }
      return new Ports(plaintext, controller, added);
    }

    private static int portFor(Integer previous, Set<Integer> taken) throws IOException {
      int port = previous != null && previous > 0 && !taken.contains(previous) && isFree(previous) ? previous
          : freePort(taken);
      taken.add(port);
      return port;
    }

    private void writeServerProperties(Path file, Ports ports) throws IOException {
      Map<String, String> p = new TreeMap<>();
      p.put("process.roles", "broker,controller");
      p.put("node.id", "1");
      // A static single-voter quorum: the voter's address lives only in this file, so the ports may
      // change from one start to the next.
      p.put("controller.quorum.voters", "1@" + HOST + ":" + ports.controller);
      StringBuilder added = new StringBuilder();
      StringBuilder addedProtocols = new StringBuilder();
      ports.listeners.forEach((name, port) -> {
        added.append(',').append(name).append("://").append(HOST).append(':').append(port);
        addedProtocols.append(',').append(name).append(':').append(listeners.get(name));
      });
      p.put("listeners", "PLAINTEXT://" + HOST + ":" + ports.plaintext + ",CONTROLLER://" + HOST + ":" + ports.controller
          + added);
      p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + ports.plaintext + added);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + addedProtocols);
      p.put("log.dirs", dataDir.resolve(LOG_DIR).toString());
      p.put("num.partitions", "1");
      p.put("default.replication.factor", "1");
      p.put("min.insync.replicas", "1");
      p.put("auto.create.topics.enable", "false");
      p.put("delete.topic.enable", "true");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("offsets.topic.replication.factor", "1");
      p.put("offsets.topic.num.partitions", "5");
      p.put("transaction.state.log.replication.factor", "1");
      p.put("transaction.state.log.min.isr", "1");
      p.put("transaction.state.log.num.partitions", "5");
      p.put("share.coordinator.state.topic.replication.factor", "1");
      p.put("share.coordinator.state.topic.min.isr", "1");
      // Records are the pipeline's ledger: no time- or size-based deletion unless a topic asks for it.
      p.put("log.retention.ms", "-1");
      p.put("log.retention.bytes", "-1");
      // Modest memory: the log cleaner's dedupe buffer defaults to 128 MB of heap.
      p.put("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024));
      // After an unclean stop the controller rejects the new incarnation of the broker until the old
      // one's session expires (9 s by default): a short session makes that restart fast.
      p.put("broker.session.timeout.ms", "3000");
      p.put("broker.heartbeat.interval.ms", "500");
      p.put("num.network.threads", "2");
      p.put("num.io.threads", "4");
      p.put("num.recovery.threads.per.data.dir", "2");
      p.putAll(brokerProperties);
      StringBuilder text = new StringBuilder("# Written by ada-carbon's EmbeddedBroker at each start; edits are lost.\n");
      p.forEach((k, v) -> text.append(k).append('=').append(escapeProperty(v)).append('\n'));
      writeAtomically(file, text.toString());
    }

    private void format(String javaCommand, String cp, Path serverProperties, String clusterId) throws IOException {
      Path out = dataDir.resolve(FORMAT_OUT);
      List<String> command = new ArrayList<>(List.of(javaCommand, "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + LOGBACK_RESOURCE,
          "-D" + DATA_DIR_PROPERTY + "=" + dataDir, "-cp", cp, "kafka.tools.StorageTool", "format", "--ignore-formatted",
          "--cluster-id", clusterId, "--config", serverProperties.toString()));
      for (String credential : scramCredentials) {
        command.add("--add-scram");
        command.add(credential);
      }
      Process format = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      format.getOutputStream().close();
      try {
        if (!format.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          format.destroyForcibly();
          throw new IllegalStateException("Formatting the Kafka storage in " + dataDir + " timed out after " + startTimeout
              + tails());
        }
      } catch (InterruptedException e) {
        format.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while formatting the Kafka storage in " + dataDir, e);
      }
      if (format.exitValue() != 0) {
        throw new IllegalStateException("Formatting the Kafka storage in " + dataDir + " failed with exit code "
            + format.exitValue() + "\n--- " + out + " ---\n" + tail(out, 40) + tails());
      }
      log.info("Formatted Kafka storage {} for cluster {}", dataDir.resolve(LOG_DIR), clusterId);
    }

    private void awaitReady(Process process, int port, String clusterId) {
      long deadline = System.nanoTime() + startTimeout.toNanos();
      try (Prober prober = new Prober(port)) {
        while (true) {
          if (!process.isAlive()) {
            throw new IllegalStateException("The Kafka broker of " + dataDir + " exited with code " + process.exitValue()
                + " before it was ready" + tails());
          }
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw new IllegalStateException("The Kafka broker of " + dataDir + " (pid " + process.pid()
                + ") did not answer on " + HOST + ":" + port + " within " + startTimeout + tails());
          }
          Optional<String> answer = prober.clusterId(Duration.ofNanos(Math.min(remaining, Duration.ofSeconds(2).toNanos())));
          if (answer.isPresent()) {
            if (!answer.get().equals(clusterId)) {
              throw new IllegalStateException("Port " + port + " answers for cluster " + answer.get() + ", not for "
                  + clusterId + " of " + dataDir + tails());
            }
            return;
          }
          sleep(100);
        }
      }
    }

    private String tails() {
      return "\n--- tail of " + dataDir.resolve(BROKER_LOG) + " ---\n" + tail(dataDir.resolve(BROKER_LOG), 40)
          + "\n--- tail of " + dataDir.resolve(BROKER_OUT) + " ---\n" + tail(dataDir.resolve(BROKER_OUT), 20);
    }
  }

  // ------------------------------------------------------------------------------------------------

  private record Ports(int plaintext, int controller, Map<String, Integer> listeners) {}

  /** Asks a port for its cluster id with an admin client, created once the port accepts connections. */
  private static final class Prober implements AutoCloseable {
    private final int port;
    private Admin admin;

    Prober(int port) {
      this.port = port;
    }

    Optional<String> clusterId(Duration timeout) {
      if (admin == null) {
        if (!accepts(port)) {
          return Optional.empty();
        }
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ada-carbon-embedded-broker-probe");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        admin = Admin.create(config);
      }
      int timeoutMs = (int) Math.max(100, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      try {
        String id = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId()
            .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
        return Optional.ofNullable(id);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the Kafka broker on port " + port, e);
      } catch (ExecutionException | TimeoutException e) {
        return Optional.empty();
      }
    }

    @Override
    public void close() {
      if (admin != null) {
        admin.close(Duration.ofSeconds(2));
      }
    }
  }

  /** SIGTERM, wait up to {@code timeout}, then SIGKILL and wait for the process to be gone. */
  static void terminate(ProcessHandle process, Duration timeout) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return;
    } catch (TimeoutException e) {
      log.warn("Kafka broker pid {} did not stop within {}; killing it", process.pid(), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // onExit does not fail
    }
    process.destroyForcibly();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Kafka broker pid {} is still alive after SIGKILL", process.pid());
    }
  }

  /** Removes broker.pid and broker.owner when they name {@code pid} (any pid when {@code pid < 0}). */
  private static void deleteRunFilesOf(Path dataDir, long pid) {
    Path pidFile = dataDir.resolve(PID_FILE);
    try {
      Optional<Long> recorded = readLong(pidFile);
      if (pid < 0 || recorded.isEmpty() || recorded.get() == pid) {
        Files.deleteIfExists(pidFile);
        Files.deleteIfExists(dataDir.resolve(OWNER_FILE));
      }
    } catch (IOException e) {
      log.warn("Cannot remove {}", pidFile, e);
    }
  }

  /**
   * Whether {@code process} is the broker of {@code dataDir}, from the marker property that starts its
   * command line: TRUE or FALSE, or null when its command line cannot be read.
   */
  static Boolean isBrokerOf(ProcessHandle process, Path dataDir) {
    String marker = "-D" + DATA_DIR_PROPERTY + "=" + dataDir;
    // ProcessHandle.Info only sees the first 4 KB of a Linux command line (and then no arguments at
    // all), so read /proc directly where there is one.
    Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    if (Files.isReadable(cmdline)) {
      try {
        String[] arguments = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0");
        if (arguments.length > 0 && !arguments[0].isEmpty()) {
          return Arrays.asList(arguments).contains(marker);
        }
      } catch (IOException e) {
        // fall back on ProcessHandle.Info
      }
    }
    Optional<String[]> arguments = process.info().arguments();
    if (arguments.isPresent()) {
      return Arrays.asList(arguments.get()).contains(marker);
    }
    // Possibly truncated, but the marker comes right after the java binary.
    return process.info().commandLine().map(c -> c.contains(marker + " ") || c.endsWith(marker)).orElse(null);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort(Set<Integer> avoid) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
        int port = socket.getLocalPort();
        if (!avoid.contains(port)) {
          return port;
        }
      }
    }
    throw new IOException("No free port on " + HOST);
  }

  /** The java binary running this JVM (public for the bench, which starts its service JVMs the same way). */
  public static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * This JVM's classpath for the child: {@code java.class.path}, with the {@code Class-Path} entries of
   * the manifests of its jars added explicitly (for {@code java -jar app.jar} and for manifest-only
   * launcher jars such as Surefire's booter).
   */
  public static String childClasspath() {
    if (EmbeddedBroker.class.getClassLoader().getResource("kafka/Kafka.class") == null) {
      throw new IllegalStateException("kafka.Kafka (org.apache.kafka:kafka_2.13) is not on the classpath");
    }
    return expandClasspath(System.getProperty("java.class.path", ""));
  }

  /** {@code classpath} with absolute entries, each jar followed by its manifest's Class-Path entries. */
  static String expandClasspath(String classpath) {
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      // Absolute, since the child runs in the data directory.
      String absolute = entry.equals("*") || entry.endsWith(File.separator + "*")
          ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath().normalize() + File.separator + "*"
          : Path.of(entry).toAbsolutePath().normalize().toString();
      entries.add(absolute);
      if (absolute.endsWith(".jar")) {
        entries.addAll(manifestClassPath(Path.of(absolute)));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> manifestClassPath(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return List.of();
    }
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest manifest = file.getManifest();
      String value = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (value == null || value.isBlank()) {
        return List.of();
      }
      List<String> result = new ArrayList<>();
      URI base = jar.toAbsolutePath().toUri();
      for (String item : value.trim().split("\\s+")) {
        try {
          URI uri = base.resolve(item);
          if ("file".equals(uri.getScheme())) {
            Path path = Path.of(uri);
            if (Files.exists(path)) {
              result.add(path.toString());
            }
          }
        } catch (IllegalArgumentException e) {
          // not a usable entry: the JVM would ignore it too
        }
      }
      return result;
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<Long> readLong(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content.endsWith("\n") ? content : content + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String escapeProperty(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /** The last {@code lines} lines of {@code file} (at most its last 64 KB); public for the bench's child JVMs' logs. */
  public static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no file)";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[size];
      raf.seek(length - size);
      raf.readFully(bytes);
      List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read: " + e + ")";
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // ignored
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }
}
