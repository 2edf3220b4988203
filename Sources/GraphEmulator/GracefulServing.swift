import Logging
import ServiceLifecycle

/// Runs a server (a Hummingbird application) until `body` returns, then shuts it down gracefully: the listener closes
/// first and open requests finish — within `maximumShutdown` when given, after which they are cancelled. Cancelling
/// a running Hummingbird server instead can trap in NIO when a connection is accepted at that moment
/// (apple/swift-nio#3481: "Deinited NIOAsyncWriter without calling finish()"). `ports` yields the bound port (the
/// application's `onServerRunning`). The emulator and the tests' loopback servers serve through this.
public func serveGracefully<T: Sendable>(
    _ server: some Service, ports: AsyncStream<Int>, logger: Logger = Logger(label: "breakglass-server"),
    maximumShutdown: Duration? = nil, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    var configuration = ServiceGroupConfiguration(services: [server], gracefulShutdownSignals: [], logger: logger)
    configuration.maximumGracefulShutdownDuration = maximumShutdown
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
