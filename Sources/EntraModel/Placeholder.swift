// EntraModel
