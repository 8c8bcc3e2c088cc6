/// Where a person is reached on each channel. An expert's addresses never leave the gateway
/// towards the employee or client side.
public struct ContactAddresses: Codable, Sendable, Hashable {
    public var matrix: String?
    public var email: String?
    public var phone: String?
    /// Where the person lives (`home_address`), kept only so that the guard knows it when the
    /// person writes it: never shown to anyone.
    public var homeAddress: String?

    public init(matrix: String? = nil, email: String? = nil, phone: String? = nil, homeAddress: String? = nil) {
        self.matrix = matrix
        self.email = email
        self.phone = phone
        self.homeAddress = homeAddress
    }
}
