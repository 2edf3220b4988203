import Foundation
import SafeInput

/// Where a snapshot's files come from: a folder, or files held in memory (the demo tenant, a live capture).
public protocol SnapshotSource: Sendable {
    /// The bytes of a file at a relative path, or nil when there is no such file.
    func data(at path: String) throws -> Data?
    /// The file names in a sub-folder (`group-members`), empty when there is none.
    func fileNames(in folder: String) throws -> [String]
}

public struct FolderSource: SnapshotSource {
    public let url: URL

    public init(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SnapshotError.notAFolder(url.path)
        }
        self.url = url
    }

    public func data(at path: String) throws -> Data? {
        do throws(InputFileError) {
            return try InputFile.read(atPath: url.appendingPathComponent(path).path, limit: InputFile.snapshotFileLimit)
        } catch .missing {
            return nil
        } catch {
            throw SnapshotError.unreadable(file: path, reason: error.reason)
        }
    }

    public func fileNames(in folder: String) throws -> [String] {
        let directory = url.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
    }
}

public struct MemorySource: SnapshotSource {
    public let files: [String: Data]

    public init(_ files: [String: Data]) { self.files = files }

    public func data(at path: String) throws -> Data? { files[path] }

    public func fileNames(in folder: String) throws -> [String] {
        files.keys.filter { $0.hasPrefix(folder + "/") }.map { String($0.dropFirst(folder.count + 1)) }.sorted()
    }
}

/// Reads a snapshot leniently (spec/snapshot.md, "Rules for readers") and strictly where it matters: a malformed
/// file stops the read with its name and the JSON path.
public struct SnapshotReader: Sendable {
    public init() {}

    public func read(_ url: URL) throws -> Snapshot {
        try read(from: FolderSource(url))
    }

    public func read(from source: any SnapshotSource) throws -> Snapshot {
        let decoder = JSONDecoder.graph()
        func decode<T: Decodable>(_ type: T.Type, _ path: String, _ data: Data) throws -> T {
            guard let utf8 = TextEncoding.utf8(data) else {
                throw SnapshotError.unreadable(file: path, reason: "not UTF-8 or UTF-16 text")
            }
            do {
                return try decoder.decode(T.self, from: utf8)
            } catch {
                throw SnapshotError.from(error, file: path)
            }
        }

        let manifest = try source.data(at: SnapshotFile.manifest.rawValue).map {
            try decode(Manifest.self, SnapshotFile.manifest.rawValue, $0)
        }
        var unavailable: [String: Unavailable] = [:]
        let files = manifest?.files

        /// A required file's bytes, or the error that it is unavailable or missing. Records nothing, so the concurrent
        /// jobs can call it too.
        @Sendable func readRequired(_ file: SnapshotFile) throws -> Data {
            if let status = files?[file.rawValue], status.status != "ok" {
                throw SnapshotError.requiredFileUnavailable(file: file.rawValue, status: status.status, message: status.message)
            }
            guard let data = try source.data(at: file.rawValue) else { throw SnapshotError.missingRequiredFile(file.rawValue) }
            return data
        }
        /// The data of a top-level file, or nil (recording why) when an optional one is not usable.
        func load(_ file: SnapshotFile) throws -> Data? {
            if file.isRequired { return try readRequired(file) }
            if let status = files?[file.rawValue], status.status != "ok" {
                unavailable[file.rawValue] = Unavailable(file: file.rawValue, status: status.status, message: status.message)
                return nil
            }
            guard let data = try source.data(at: file.rawValue) else {
                unavailable[file.rawValue] = Unavailable(file: file.rawValue, status: "missing")
                return nil
            }
            return data
        }
        func list<T: Decodable>(_ type: T.Type, _ file: SnapshotFile) throws -> [T]? {
            try load(file).map { try decode(ListEnvelope<T>.self, file.rawValue, $0).items }
        }
        func required<T: Decodable>(_ type: T.Type, _ file: SnapshotFile) throws -> [T] {
            try list(T.self, file) ?? []
        }
        /// `fast` reads a file's items when it can (nil: it cannot, and JSONDecoder does, or names the error).
        func folder<T: Decodable>(_ type: T.Type, _ file: SnapshotFile, fast: (Data) -> [T]? = { _ in nil })
            throws -> [String: [T]]
        {
            let status = files?[file.rawValue]
            if let status, status.status != "ok" {
                unavailable[file.rawValue] = Unavailable(file: file.rawValue, status: status.status, message: status.message)
            }
            var result: [String: [T]] = [:]
            for name in try source.fileNames(in: file.rawValue) {
                let path = "\(file.rawValue)/\(name)"
                guard let data = try source.data(at: path) else { continue }
                let key = String(name.dropLast(".json".count)).lowercased()
                if let utf8 = TextEncoding.utf8(data), let items = fast(utf8) {
                    result[key] = items
                    continue
                }
                result[key] = try decode(ListEnvelope<T>.self, path, data).items
            }
            return result
        }

        guard let organizationData = try load(.organization) else {
            throw SnapshotError.missingRequiredFile(SnapshotFile.organization.rawValue)
        }
        let organization = try decode(ObjectEnvelope<Organization>.self, SnapshotFile.organization.rawValue, organizationData).item
        let domains = try required(Domain.self, .domains)
        if let status = files?[SnapshotFile.groupMembers.rawValue], status.status != "ok" {
            unavailable[SnapshotFile.groupMembers.rawValue] = Unavailable(
                file: SnapshotFile.groupMembers.rawValue, status: status.status, message: status.message)
        }
        let (users, groupMembers, groups) = try Self.usersMembersAndGroups(
            users: { try readRequired(.users) }, groups: { try readRequired(.groups) },
            memberFiles: source.fileNames(in: SnapshotFile.groupMembers.rawValue), source: source)
        var snapshot = Snapshot(
            organization: organization,
            domains: domains,
            users: users,
            groups: groups,
            groupMembers: groupMembers,
            roleDefinitions: try required(RoleDefinition.self, .roleDefinitions),
            roleAssignments: try required(RoleAssignment.self, .roleAssignments),
            policies: try required(ConditionalAccessPolicy.self, .policies)
        )
        snapshot.manifest = manifest
        snapshot.roleAssignmentScheduleInstances = try list(RoleAssignmentScheduleInstance.self, .roleAssignmentScheduleInstances)
        snapshot.roleEligibilitySchedules = try list(RoleEligibilitySchedule.self, .roleEligibilitySchedules)
        snapshot.namedLocations = try list(NamedLocation.self, .namedLocations)
        snapshot.authenticationStrengths = try list(AuthenticationStrengthPolicy.self, .authenticationStrengths)
        snapshot.securityDefaults = try load(.securityDefaults).map {
            try decode(ObjectEnvelope<SecurityDefaults>.self, SnapshotFile.securityDefaults.rawValue, $0).item
        }
        snapshot.authenticationMethods = try folder(AuthenticationMethod.self, .authenticationMethods)
        snapshot.signIns = try list(SignIn.self, .signIns)
        snapshot.directoryAudits = try list(DirectoryAudit.self, .directoryAudits)
        snapshot.diagnosticSettings = try load(.diagnosticSettings).map {
            try decode(ARMResourceEnvelope<DiagnosticSetting>.self, SnapshotFile.diagnosticSettings.rawValue, $0).items
        }
        snapshot.alertRules = try load(.alertRules).map {
            try decode(ARMResourceEnvelope<AlertRule>.self, SnapshotFile.alertRules.rawValue, $0).items
        }
        snapshot.groupOwners = try folder(DirectoryObjectReference.self, .groupOwners)
        snapshot.administrativeUnits = try list(AdministrativeUnit.self, .administrativeUnits)
        snapshot.administrativeUnitMembers = try folder(DirectoryObjectReference.self, .administrativeUnitMembers)
        snapshot.servicePrincipals = try list(ServicePrincipal.self, .servicePrincipals)
        snapshot.graphServicePrincipal = try load(.graphServicePrincipal).map {
            try decode(ObjectEnvelope<ServicePrincipal>.self, SnapshotFile.graphServicePrincipal.rawValue, $0).item
        }
        snapshot.graphAppRoleAssignments = try list(AppRoleAssignment.self, .graphAppRoleAssignments)
        snapshot.applications = try list(Application.self, .applications)
        snapshot.servicePrincipalOwners = try folder(DirectoryObjectReference.self, .servicePrincipalOwners)
        snapshot.applicationOwners = try folder(DirectoryObjectReference.self, .applicationOwners)
        snapshot.authenticationMethodsPolicy = try load(.authenticationMethodsPolicy).map {
            try decode(ObjectEnvelope<AuthenticationMethodsPolicy>.self, SnapshotFile.authenticationMethodsPolicy.rawValue, $0).item
        }
        snapshot.unavailable = unavailable
        return snapshot
    }
}

extension SnapshotReader {
    /// users.json, groups.json and the group-members folder are most of a large snapshot. They are read and decoded at
    /// once on every core (users.json and groups.json as a job each, the member files in chunks), each with its fast
    /// decoder, if it has one, and JSONDecoder as the fallback that gives the same items or the exact error; the first
    /// error in reading order (users, member files, groups) is the one thrown.
    static func usersMembersAndGroups(users readUsers: @Sendable () throws -> Data, groups readGroups: @Sendable () throws -> Data,
                                      memberFiles names: [String], source: any SnapshotSource) throws
        -> (users: [User], members: [String: [DirectoryObjectReference]], groups: [Group])
    {
        let chunkCount = names.isEmpty ? 0 : min(names.count, max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
        let chunks: [ArraySlice<String>] = (0..<chunkCount).map { index in
            names[(names.count * index / chunkCount)..<(names.count * (index + 1) / chunkCount)]
        }
        // Jobs start in index order: the two large files first, so that the member chunks fill in around them.
        let results = ResultSlots<Decoded>(count: 2 + chunks.count)
        DispatchQueue.concurrentPerform(iterations: 2 + chunks.count) { job in
            results.set(job, Result {
                switch job {
                case 0: return .users(try decodeUsers(readUsers()))
                case 1: return .groups(try decode(ListEnvelope<Group>.self, SnapshotFile.groups.rawValue, readGroups()).items)
                default: return .members(try decodeMembers(chunks[job - 2], source: source))
                }
            })
        }
        var users: [User] = []
        var groups: [Group] = []
        var members: [String: [DirectoryObjectReference]] = [:]
        members.reserveCapacity(names.count)
        let slots = results.values
        for result in [slots[0]] + slots.dropFirst(2) + [slots[1]] {
            switch try result.get() {
            case .users(let list): users = list
            case .groups(let list): groups = list
            case .members(let chunk): for (key, items) in chunk { members[key] = items }
            }
        }
        return (users, members, groups)
    }

    private enum Decoded: Sendable {
        case users([User])
        case groups([Group])
        case members([(String, [DirectoryObjectReference])])
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ path: String, _ data: Data) throws -> T {
        guard let utf8 = TextEncoding.utf8(data) else {
            throw SnapshotError.unreadable(file: path, reason: "not UTF-8 or UTF-16 text")
        }
        do {
            return try JSONDecoder.graph().decode(T.self, from: utf8)
        } catch {
            throw SnapshotError.from(error, file: path)
        }
    }

    private static func decodeUsers(_ data: Data) throws -> [User] {
        if let utf8 = TextEncoding.utf8(data), let users = FastUserDecoder.decode(utf8) { return users }
        return try decode(ListEnvelope<User>.self, SnapshotFile.users.rawValue, data).items
    }

    private static func decodeMembers(_ names: ArraySlice<String>, source: any SnapshotSource) throws -> [(String, [DirectoryObjectReference])] {
        var result: [(String, [DirectoryObjectReference])] = []
        result.reserveCapacity(names.count)
        for name in names {
            let path = "\(SnapshotFile.groupMembers.rawValue)/\(name)"
            guard let data = try source.data(at: path) else { continue }
            let key = String(name.dropLast(".json".count)).lowercased()
            if let utf8 = TextEncoding.utf8(data), let items = FastReferenceDecoder.decode(utf8) {
                result.append((key, items))
            } else {
                result.append((key, try decode(ListEnvelope<DirectoryObjectReference>.self, path, data).items))
            }
        }
        return result
    }

    /// Conditional Access policies from one file's bytes (a `value` list, a bare array or one policy; UTF-8 or
    /// UTF-16), as the gate and `--policy` read deployment files.
    public func policies(from data: Data, file: String) throws -> [ConditionalAccessPolicy] {
        guard let utf8 = TextEncoding.utf8(data) else {
            throw SnapshotError.unreadable(file: file, reason: "not UTF-8 or UTF-16 text")
        }
        do {
            return try JSONDecoder.graph().decode(ListEnvelope<ConditionalAccessPolicy>.self, from: utf8).items
        } catch {
            throw SnapshotError.from(error, file: file)
        }
    }
}
