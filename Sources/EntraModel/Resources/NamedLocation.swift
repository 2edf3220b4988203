import Foundation

/// `GET /identity/conditionalAccess/namedLocations`: an IP-range or a country location.
public struct NamedLocation: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String?
    public var kind: Kind
    /// CIDR ranges as written (`203.0.113.0/24`, `2001:db8::/32`).
    public var ipRanges: [String]
    public var isTrusted: Bool
    /// ISO 3166 alpha-2 codes.
    public var countriesAndRegions: [String]
    public var includeUnknownCountriesAndRegions: Bool
    public var countryLookupMethod: String?

    public enum Kind: String, Sendable, Hashable { case ip, country, unknown }

    public init(id: String, displayName: String?, ipRanges: [String], isTrusted: Bool) {
        self.id = id
        self.displayName = displayName
        kind = .ip
        self.ipRanges = ipRanges
        self.isTrusted = isTrusted
        countriesAndRegions = []
        includeUnknownCountriesAndRegions = false
    }

    public init(id: String, displayName: String?, countries: [String], includeUnknown: Bool = false) {
        self.id = id
        self.displayName = displayName
        kind = .country
        ipRanges = []
        isTrusted = false
        countriesAndRegions = countries
        includeUnknownCountriesAndRegions = includeUnknown
    }

    struct Range: Decodable { var cidrAddress: String? }

    enum CodingKeys: String, CodingKey {
        case id, displayName, ipRanges, isTrusted, countriesAndRegions, includeUnknownCountriesAndRegions
        case countryLookupMethod
        case odataType = "@odata.type"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        ipRanges = try c.lenientList(Range.self, forKey: .ipRanges).compactMap(\.cidrAddress)
        isTrusted = try c.decodeIfPresent(Bool.self, forKey: .isTrusted) ?? false
        countriesAndRegions = try c.lenientList(String.self, forKey: .countriesAndRegions)
        includeUnknownCountriesAndRegions = try c.decodeIfPresent(Bool.self, forKey: .includeUnknownCountriesAndRegions)
            ?? false
        countryLookupMethod = try c.decodeIfPresent(String.self, forKey: .countryLookupMethod)
        let type = try c.decodeIfPresent(String.self, forKey: .odataType)?.lowercased()
        if type == "#microsoft.graph.ipnamedlocation" || (type == nil && c.contains(.ipRanges)) {
            kind = .ip
        } else if type == "#microsoft.graph.countrynamedlocation" || (type == nil && c.contains(.countriesAndRegions)) {
            kind = .country
        } else {
            kind = .unknown
        }
    }
}
