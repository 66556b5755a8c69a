-- Every tenant with its customer, by tenant key.
CREATE OR ALTER PROCEDURE scim.usp_Tenant_List
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        SELECT tn.TenantId, tn.TenantKey, tn.CustomerId, c.Name AS CustomerName, tn.CreatedUtc
        FROM scim.Tenant AS tn
        JOIN dbo.Customer AS c
            ON c.CustomerId = tn.CustomerId
        ORDER BY tn.TenantKey;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
