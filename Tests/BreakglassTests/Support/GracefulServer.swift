import Logging
import ServiceLifecycle

/// Runs a Hummingbird application on loopback until `body` returns, then shuts it down gracefully: the listener
/// closes first and open requests get up to a second to finish. Cancelling a running server instead can trap in NIO
/// when a connection is accepted at that moment (apple/swift-nio#3481), as `EmulatorServer.serving` explains.
/// `ports` yields the bound port (the application's `onServerRunning`).
func serveGracefully<T: Sendable>(_ app: some Service, ports: AsyncStream<Int>, _ body: @Sendable (Int) async throws -> T)
    async throws -> T
{
    var logger = Logger(label: "test-server")
    logger.logLevel = .critical
    var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger)
    // A handler that never answers (a delivery cut mid-way) must not hold the test: after a second it is cancelled.
    configuration.maximumGracefulShutdownDuration = .seconds(1)
    let services = ServiceGroup(configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            await services.triggerGracefulShutdown()
            throw CancellationError()
        }
        do {
            let result = try await body(port)
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
    }
}
