import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3,
/// replies and events on fd 4, each JSON message ended by a NUL byte): load a page, evaluate JavaScript in it, take
/// a screenshot. No WebSocket library and no driver needed.
final class HeadlessChromium: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case spawn(Int32)
        case closed
        case protocolError(String)
        case timeout(String)

        var description: String {
            switch self {
            case .notInstalled: "chromium is not installed (apt-get install -y chromium)"
            case .spawn(let code): "cannot start chromium (posix_spawn \(code))"
            case .closed: "chromium closed the pipe"
            case .protocolError(let text): "DevTools: \(text)"
            case .timeout(let what): "timed out waiting for \(what)"
            }
        }
    }

    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// What the reader thread fills: kept apart from the browser object, so the thread does not keep it alive.
    final class Inbox: Sendable {
        let messages = Mutex<[Data]>([])
        let isClosed = Mutex(false)
    }

    let pid: pid_t
    let commands: Int32
    let replies: Int32
    let profile: URL
    let box = Inbox()
    var nextID = 0
    private var stopped = false

    init(width: Int = 1400, height: Int = 1900) throws {
        guard let executable = Self.executable else { throw Failure.notInstalled }
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("breakglass-chromium-\(UUID().uuidString)")
        var toChrome: [Int32] = [0, 0]
        var fromChrome: [Int32] = [0, 0]
        guard pipe(&toChrome) == 0, pipe(&fromChrome) == 0 else { throw Failure.spawn(errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChrome[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromChrome[1], 4)
        let devNull = Glibc.open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devNull, 1)
        posix_spawn_file_actions_adddup2(&actions, devNull, 2)
        let arguments = [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--hide-scrollbars", "--no-first-run", "--remote-debugging-pipe",
                         "--window-size=\(width),\(height)", "--user-data-dir=\(profile.path)", "about:blank"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Its own process group: stopping it stops the renderers and helpers it started too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
        close(devNull)
        close(toChrome[0])
        close(fromChrome[1])
        guard status == 0 else { throw Failure.spawn(status) }
        pid = child
        commands = toChrome[1]
        replies = fromChrome[0]
        let replies = self.replies
        let box = self.box
        Thread.detachNewThread { Self.readLoop(replies, into: box) }
    }

    /// Kills the browser and everything it started, and removes its profile. Also done when the object goes away.
    func stop() {
        guard !stopped else { return }
        stopped = true
        close(commands)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(replies)
        try? FileManager.default.removeItem(at: profile)
    }

    deinit { stop() }

    static func readLoop(_ descriptor: Int32, into box: Inbox) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let message = Data(pending[..<end])
                pending.removeSubrange(...end)
                box.messages.withLock { $0.append(message) }
            }
        }
        box.isClosed.withLock { $0 = true }
    }

    /// Sends a command and waits for its reply's `result`.
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: TimeInterval = 30)
        async throws -> [String: Any] {
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        let written = data.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
        guard written == data.count else { throw Failure.closed }
        let reply = try await wait(timeout: timeout, "\(method)") { $0["id"] as? Int == id }
        if let error = reply["error"] as? [String: Any] { throw Failure.protocolError("\(method): \(error["message"] ?? error)") }
        return reply["result"] as? [String: Any] ?? [:]
    }

    /// Waits for a message matching `predicate` (and removes it from the inbox).
    func wait(timeout: TimeInterval = 30, _ what: String, _ predicate: @escaping ([String: Any]) -> Bool) async throws
        -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let messages = box.messages.withLock { $0 }
            for (index, message) in messages.enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any], predicate(object) else {
                    continue
                }
                box.messages.withLock { inbox in
                    if index < inbox.count, inbox[index] == message { inbox.remove(at: index) }
                }
                return object
            }
            if box.isClosed.withLock({ $0 }) { throw Failure.closed }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure.timeout(what)
    }

    /// Opens `url` in a new tab and waits for its load event; returns the session to talk to the page.
    func open(_ url: String) async throws -> String {
        let target = try await send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw Failure.protocolError("no targetId") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw Failure.protocolError("no sessionId") }
        _ = try await send("Page.enable", session: session)
        _ = try await send("Page.navigate", ["url": url], session: session)
        _ = try await wait("the page's load event") { $0["method"] as? String == "Page.loadEventFired" && $0["sessionId"] as? String == session }
        return session
    }

    /// The value of a JavaScript expression (returned by value).
    func evaluate(_ expression: String, session: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
        if let exception = result["exceptionDetails"] { throw Failure.protocolError("script failed: \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of the whole page.
    func screenshot(session: String) async throws -> Data {
        let result = try await send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], session: session)
        guard let base64 = result["data"] as? String, let png = Data(base64Encoded: base64) else {
            throw Failure.protocolError("no screenshot data")
        }
        return png
    }
}
