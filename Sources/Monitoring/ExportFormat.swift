import Foundation

/// What `breakglass export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case kql, arm, bicep, sentinel

    /// The files of the export, by name (all in one folder), as UTF-8.
    public func files(_ input: MonitoringInput) throws -> [String: Data] {
        let text: [String: String] =
            switch self {
            case .kql: try KQLExport.files(input)
            case .arm: try ARMExport.files(input)
            case .bicep: try BicepExport.files(input)
            case .sentinel: try SentinelExport.files(input)
            }
        return text.mapValues { Data($0.utf8) }
    }
}

/// Writes an export folder all at once: the files go to a hidden temporary folder beside the destination, which then
/// replaces it. A destination that already exists may hold only files an export writes (so re-exporting over the
/// previous export works, and nothing else is ever deleted).
public enum ExportWriter {
    public static func write(_ files: [String: Data], to destination: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else {
                throw MonitoringError.cannotWrite(path: destination.path, reason: "it is a file, not a folder")
            }
            let present = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? []
            let foreign = present.filter { !isExportFile($0) }.sorted()
            guard foreign.isEmpty else {
                throw MonitoringError.destinationHasOtherFiles(path: destination.path, files: foreign)
            }
        }
        let parent = destination.deletingLastPathComponent()
        let token = UUID().uuidString.prefix(8)
        let temporary = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(token)")
        let previous = parent.appendingPathComponent(".\(destination.lastPathComponent).previous-\(token)")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            for (name, data) in files.sorted(by: { $0.key < $1.key }) {
                guard !name.contains("/"), !name.hasPrefix(".") else {
                    throw MonitoringError.cannotWrite(path: name, reason: "not a plain file name")
                }
                try data.write(to: temporary.appendingPathComponent(name))
            }
            if exists { try manager.moveItem(at: destination, to: previous) }
            do {
                try manager.moveItem(at: temporary, to: destination)
            } catch {
                if exists { try? manager.moveItem(at: previous, to: destination) }
                throw error
            }
            if exists { try? manager.removeItem(at: previous) }
        } catch let error as MonitoringError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw MonitoringError.cannotWrite(path: destination.path, reason: error.localizedDescription)
        }
    }

    /// A name `export` writes: the KQL files, the templates, the Sentinel rules and watchlist.
    static func isExportFile(_ name: String) -> Bool {
        let fixed = [ARMExport.alertsFile, ARMExport.diagnosticSettingFile, BicepExport.alertsFile,
                     BicepExport.diagnosticSettingFile, SentinelExport.watchlistFile]
        if fixed.contains(name) { return true }
        let slugs = Detection.Kind.allCases.map(\.rawValue)
        return slugs.contains { name == "\($0).kql" || name == "breakglass-\($0).yaml" }
    }
}
