import EntraModel
import Foundation

/// A named location with its ranges parsed once.
struct CompiledLocation: Sendable {
    let id: String
    let name: String
    let kind: NamedLocation.Kind
    let ranges: [CIDRRange]
    /// Ranges that do not parse; they contain nothing.
    let invalidRanges: [String]
    let isTrusted: Bool
    /// Uppercased ISO 3166 codes.
    let countries: Set<String>
    let includesUnknownCountries: Bool

    init(_ location: NamedLocation) {
        id = location.id.lowercased()
        name = location.displayName ?? location.id
        kind = location.kind
        var ranges: [CIDRRange] = []
        var invalid: [String] = []
        for text in location.ipRanges {
            if let range = CIDRRange(text) { ranges.append(range) } else { invalid.append(text) }
        }
        self.ranges = ranges
        invalidRanges = invalid
        isTrusted = location.isTrusted
        countries = Set(location.countriesAndRegions.map { $0.uppercased() })
        includesUnknownCountries = location.includeUnknownCountriesAndRegions
    }

    /// Whether the sign-in comes from here. A context with neither ip nor country is in no named location; one with
    /// an ip but no country is from an unknown country (`includeUnknownCountriesAndRegions`).
    func contains(address: IPAddress?, country: String?, hasIP: Bool) -> Bool {
        switch kind {
        case .ip:
            guard let address else { return false }
            return ranges.contains { $0.contains(address) }
        case .country:
            if let country { return countries.contains(country) }
            return includesUnknownCountries && hasIP
        case .unknown:
            return false
        }
    }
}

/// Where a sign-in comes from, parsed once per evaluation, with the named locations that contain it.
struct Place: Sendable {
    let address: IPAddress?
    let hasIP: Bool
    /// Uppercased.
    let country: String?
    /// The ip as given when it is not an address.
    let invalidIP: String?
    /// Ids of the named locations the sign-in is in.
    let containingLocations: Set<String>
    /// The first trusted location the sign-in is in.
    let trustedLocation: CompiledLocation?

    init(ip: String?, country: String?, index: LocationIndex) {
        let ip = ip?.trimmingCharacters(in: .whitespaces)
        let hasIP = !(ip ?? "").isEmpty
        self.hasIP = hasIP
        let address = ip.flatMap(IPAddress.init)
        self.address = address
        invalidIP = hasIP && address == nil ? ip : nil
        let country = country?.trimmingCharacters(in: .whitespaces).uppercased()
        self.country = (country ?? "").isEmpty ? nil : country
        var containing: Set<String> = []
        var trusted: CompiledLocation?
        for location in index.sorted where location.contains(address: address, country: self.country, hasIP: hasIP) {
            containing.insert(location.id)
            if trusted == nil, location.isTrusted { trusted = location }
        }
        containingLocations = containing
        trustedLocation = trusted
    }
}

/// The tenant's named locations by lowercased id; nil when the snapshot does not hold them.
struct LocationIndex: Sendable {
    let locations: [String: CompiledLocation]?
    /// By id, for a stable "first trusted location".
    let sorted: [CompiledLocation]

    init(_ namedLocations: [NamedLocation]?) {
        let locations = namedLocations.map { list in
            Dictionary(list.map { ($0.id.lowercased(), CompiledLocation($0)) }, uniquingKeysWith: { a, _ in a })
        }
        self.locations = locations
        sorted = (locations ?? [:]).values.sorted { $0.id < $1.id }
    }
}

/// `conditions.locations`. A location id the tenant does not know (or an absent named-locations file) is reported
/// and taken conservatively: as matching for inclusion, as not matching for exclusion.
struct LocationCondition: Sendable {
    let include: [String]
    let exclude: [String]

    init(_ locations: ConditionalAccessPolicy.Locations?) {
        include = (locations?.includeLocations ?? []).map { $0.lowercased() }
        exclude = (locations?.excludeLocations ?? []).map { $0.lowercased() }
    }

    enum Membership {
        case yes(String)
        case unknown(String)
        case no
    }

    func match(_ place: Place, index: LocationIndex) -> ConditionMatch {
        guard !include.isEmpty else { return .yes([]) }
        var reasons: [String] = []
        if let invalid = place.invalidIP { reasons.append("ip \(invalid) is not an IP address: in no IP location") }
        var unknownInclusion: String?
        switch Self.membership(of: place, in: include, index: index) {
        case .yes(let how): reasons.append("location included: \(how)")
        case .unknown(let why): unknownInclusion = why
        case .no: return .no("location not in includeLocations" + Self.describe(place))
        }
        // An exclusion that cannot be checked does not exclude, but leaves the match uncertain (DESIGN.md, "Honest
        // results"): the policy applies `unknown`, which the decision counts as applying.
        var uncertain = false
        switch Self.membership(of: place, in: exclude, index: index) {
        case .yes(let how): return .no("location excluded: \(how)")
        case .unknown(let why):
            reasons.append("\(why): not treated as excluding")
            uncertain = true
        case .no: break
        }
        if let unknownInclusion {
            reasons.append("\(unknownInclusion): treated as matching")
            return .unknown(reasons)
        }
        return uncertain ? .unknown(reasons) : .yes(reasons)
    }

    static func describe(_ place: Place) -> String {
        var parts: [String] = []
        if let address = place.address { parts.append("ip \(address)") }
        if let country = place.country { parts.append("country \(country)") }
        return parts.isEmpty ? " (no ip or country given)" : " (\(parts.joined(separator: ", ")))"
    }

    static func membership(of place: Place, in ids: [String], index: LocationIndex) -> Membership {
        var unknown: [String] = []
        for id in ids {
            switch id {
            case "all": return .yes("All locations")
            case "alltrusted":
                if let location = place.trustedLocation { return .yes("trusted location \(location.name)") }
                if index.locations == nil { unknown.append("AllTrusted") }
            default:
                if place.containingLocations.contains(id), let location = index.locations?[id] {
                    return .yes("named location \(location.name)")
                }
                if index.locations?[id] == nil { unknown.append(id) }
            }
        }
        guard !unknown.isEmpty else { return .no }
        let source = index.locations == nil ? "named-locations.json is not in the snapshot" : "not a named location"
        return .unknown("location \(unknown.joined(separator: ", ")) cannot be checked (\(source))")
    }
}
