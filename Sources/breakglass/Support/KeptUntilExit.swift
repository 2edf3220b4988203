import Foundation

/// Values a one-shot command keeps alive until the process exits. A million-user tenant is millions of small
/// allocations (a string per id and name, an array per group); freeing them one by one when the command returns takes
/// a second or more, which the operating system does at once, for nothing, at exit. Never for a long-running server:
/// what is kept here is never freed.
enum KeptUntilExit {
    private static let values = Kept()

    static func keep(_ value: any Sendable) { values.append(value) }

    private final class Kept: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [any Sendable] = []

        func append(_ value: any Sendable) {
            lock.lock()
            values.append(value)
            lock.unlock()
        }
    }
}
