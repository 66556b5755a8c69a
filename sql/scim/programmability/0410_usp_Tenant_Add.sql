-- Maps a new tenant key to a customer. @CustomerNameOrId is a CustomerId when it is an integer
-- (which must exist), otherwise a customer name: the customer of that name, created when there
-- is none. Returns the new tenant.
-- Errors: 50006 tenant key exists, 50005 customer id not found or customer name ambiguous,
--         50008 the tenant write lock was not granted.
CREATE OR ALTER PROCEDURE scim.usp_Tenant_Add
    @TenantKey         nvarchar(64),
    @CustomerNameOrId  nvarchar(200)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @LockResult int;
    DECLARE @Writing nvarchar(16);
    DECLARE @CustomerId int;
    DECLARE @CustomerMatches int;
    DECLARE @TenantId int;
    DECLARE @GivenCustomerId int = TRY_CAST(@CustomerNameOrId AS int);

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = N'scim/tenants', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The tenant write lock was not granted.', 1;

        IF EXISTS (SELECT 1 FROM scim.Tenant AS tn WITH (UPDLOCK, FORCESEEK) WHERE tn.TenantKey = @TenantKey)
            THROW 50006, N'A tenant with this key exists already.', 1;

        IF @GivenCustomerId IS NOT NULL
        BEGIN
            SELECT @CustomerId = c.CustomerId
            FROM dbo.Customer AS c
            WHERE c.CustomerId = @GivenCustomerId;

            IF @CustomerId IS NULL
                THROW 50005, N'No customer has this id.', 1;
        END
        ELSE
        BEGIN
            SELECT @CustomerMatches = COUNT(*), @CustomerId = MIN(c.CustomerId)
            FROM dbo.Customer AS c
            WHERE c.Name = @CustomerNameOrId;

            -- No range lock needed: every tenant write holds the tenant lock, so two of them never
            -- create a customer of one name at once (and a seek on Name needs an index that
            -- production dbo need not have).
            IF @CustomerMatches > 1
                THROW 50005, N'Several customers have this name; name the customer by its id.', 1;

            IF @CustomerMatches = 0
            BEGIN
                INSERT INTO dbo.Customer (Name, CreatedUtc, ModifiedUtc)
                VALUES (@CustomerNameOrId, @Now, @Now);
                SET @CustomerId = SCOPE_IDENTITY();
            END;
        END;

        SET @Writing = N'tenant';
        INSERT INTO scim.Tenant (TenantKey, CustomerId, CreatedUtc)
        VALUES (@TenantKey, @CustomerId, @Now);
        SET @TenantId = SCOPE_IDENTITY();

        SET @Writing = NULL;
        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, 'AddTenant', NULL, 'Succeeded', NULL, @Now);

        SELECT tn.TenantId, tn.TenantKey, tn.CustomerId, c.Name AS CustomerName, tn.CreatedUtc
        FROM scim.Tenant AS tn
        JOIN dbo.Customer AS c
            ON c.CustomerId = tn.CustomerId
        WHERE tn.TenantId = @TenantId
          AND tn.CustomerId = @CustomerId;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;

        -- Mapped by the statement that failed (the tenant insert), never by the index's name.
        IF ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'tenant'
            THROW 50006, N'A tenant with this key exists already.', 1;

        THROW;
    END CATCH;
END;
GO
