import Foundation
import Logging
import NIOCore
import PostgresNIO

/// `pg_try_advisory_lock` on a connection of its own: held while that connection lives. If the holder dies (or its
/// connection is closed), PostgreSQL releases the lock and the next replica to try takes it. Every statement on the
/// lease connection has a deadline: a connection that stops answering (a network cut without a reset) is closed and
/// counts as the lease lost, so a replica never polls on a lease it cannot prove.
actor AdvisoryLockLease: PollerLease {
    let configuration: PostgresClient.Configuration
    let usesTLS: Bool
    let key: Int64
    let logger: Logger
    let deadline: Duration
    var connection: PostgresConnection?
    var held = false

    struct Timeout: Error {}

    init(configuration: PostgresClient.Configuration, usesTLS: Bool, key: Int64, logger: Logger,
         deadline: Duration = .seconds(10)) {
        self.configuration = configuration
        self.usesTLS = usesTLS
        self.key = key
        self.logger = logger
        self.deadline = deadline
    }

    func connect() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        let tls: PostgresConnection.Configuration.TLS = usesTLS
            ? .require(try .init(configuration: .makeClientConfiguration())) : .disable
        let options = PostgresConnection.Configuration(
            host: configuration.host ?? "127.0.0.1", port: configuration.port ?? 5432, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        let logger = self.logger
        let fresh = try await Self.withDeadline(deadline, onTimeout: {}) {
            try await PostgresConnection.connect(configuration: options, id: 1, logger: logger)
        }
        connection = fresh
        return fresh
    }

    /// `body`, or `Timeout` after `deadline` (having closed the connection, which ends a statement stuck on it).
    static func withDeadline<T: Sendable>(_ deadline: Duration, onTimeout: @escaping @Sendable () -> Void,
                                          _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: deadline)
                onTimeout()
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Timeout() }
            return value
        }
    }

    /// The one value of a one-row, one-column query on the lease connection, within the deadline.
    func single<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? {
        let connection = try await connect()
        let logger = self.logger
        return try await Self.withDeadline(deadline, onTimeout: { Self.closeNow(connection) }) {
            var value: T?
            for try await row in try await connection.query(query, logger: logger).decode(T.self) { value = row }
            return value
        }
    }

    func acquire() async -> Bool {
        if held, await isHeld() { return true }
        do {
            held = try await single("SELECT pg_try_advisory_lock(\(key)) AS locked", as: Bool.self) ?? false
        } catch {
            held = false
            drop()
        }
        return held
    }

    func isHeld() async -> Bool {
        guard held, let connection, !connection.isClosed else {
            held = false
            return false
        }
        do {
            // The session lock lives as long as the session: a working connection that still lists it holds it.
            let count = try await single("""
                SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
                  AND ((classid::BIGINT << 32) | objid::BIGINT) = \(key)
                """, as: Int64.self) ?? 0
            held = count > 0
        } catch {
            held = false
            drop()
        }
        return held
    }

    func release() async {
        if held, let connection, !connection.isClosed {
            _ = try? await single("SELECT pg_advisory_unlock(\(key))", as: Bool.self)
        }
        held = false
        drop()
    }

    /// Closes the lease connection without waiting (its locks go with it).
    func drop() {
        if let connection { Self.closeNow(connection) }
        connection = nil
    }

    /// Starts closing without awaiting it (the future form of close). The completion holds the connection until it
    /// is closed: PostgresNIO asserts that a connection is never released open.
    nonisolated static func closeNow(_ connection: PostgresConnection) {
        let future: EventLoopFuture<Void> = connection.close()
        future.whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}
