-- The adapter's tables. Journaled: runs once per database. They reference the legacy tables but
-- never alter them.

CREATE TABLE scim.Tenant
(
    TenantId    int           IDENTITY(1, 1) NOT NULL,
    -- The {tenant} segment of the SCIM base URL.
    TenantKey   nvarchar(64)  NOT NULL,
    CustomerId  int           NOT NULL,
    CreatedUtc  datetime2(3)  NOT NULL CONSTRAINT DF_Tenant_CreatedUtc DEFAULT SYSUTCDATETIME(),
    CONSTRAINT PK_Tenant PRIMARY KEY CLUSTERED (TenantId),
    CONSTRAINT UQ_Tenant_TenantKey UNIQUE (TenantKey),
    CONSTRAINT FK_Tenant_Customer FOREIGN KEY (CustomerId) REFERENCES dbo.Customer (CustomerId)
);
GO

CREATE TABLE scim.TenantToken
(
    TokenId      int           IDENTITY(1, 1) NOT NULL,
    TenantId     int           NOT NULL,
    -- SHA-256 of the secret token; the token itself is never stored.
    TokenHash    binary(32)    NOT NULL,
    CreatedUtc   datetime2(3)  NOT NULL CONSTRAINT DF_TenantToken_CreatedUtc DEFAULT SYSUTCDATETIME(),
    LastUsedUtc  datetime2(3)  NULL,
    RevokedUtc   datetime2(3)  NULL,
    CONSTRAINT PK_TenantToken PRIMARY KEY CLUSTERED (TokenId),
    CONSTRAINT UQ_TenantToken_TokenHash UNIQUE (TokenHash),
    CONSTRAINT FK_TenantToken_Tenant FOREIGN KEY (TenantId) REFERENCES scim.Tenant (TenantId)
);
GO

CREATE INDEX IX_TenantToken_TenantId ON scim.TenantToken (TenantId);
GO

-- One row per account that SCIM has written (created or adopted).
CREATE TABLE scim.UserMap
(
    AccountId           int            NOT NULL,
    CustomerId          int            NOT NULL,
    ExternalId          nvarchar(256)  NULL,
    -- The client's own representation where the legacy columns cannot keep it; opaque here
    -- (no ISJSON check: the translation layer owns its format).
    ScimAttributesJson  nvarchar(max)  NULL,
    CreatedUtc          datetime2(3)   NOT NULL CONSTRAINT DF_UserMap_CreatedUtc DEFAULT SYSUTCDATETIME(),
    ModifiedUtc         datetime2(3)   NOT NULL CONSTRAINT DF_UserMap_ModifiedUtc DEFAULT SYSUTCDATETIME(),
    CONSTRAINT PK_UserMap PRIMARY KEY CLUSTERED (AccountId),
    -- Only the legacy primary keys are referenced: the adapter assumes nothing more of dbo.
    CONSTRAINT FK_UserMap_ArchiveAccount FOREIGN KEY (AccountId) REFERENCES dbo.ArchiveAccount (AccountId),
    CONSTRAINT FK_UserMap_Customer FOREIGN KEY (CustomerId) REFERENCES dbo.Customer (CustomerId)
);
GO

CREATE INDEX IX_UserMap_CustomerId_ExternalId ON scim.UserMap (CustomerId, ExternalId);
GO

-- One row per change, appended by the write procedure in the change's own transaction.
CREATE TABLE scim.AuditLog
(
    AuditId        bigint         IDENTITY(1, 1) NOT NULL,
    TenantKey      nvarchar(64)   NOT NULL,
    CustomerId     int            NOT NULL,
    Operation      nvarchar(32)    NOT NULL,
    -- The account's VaultEntryId (the SCIM id); null for tenant and token operations.
    ScimId         nvarchar(64)    NULL,
    Outcome        nvarchar(32)    NOT NULL,
    CorrelationId  nvarchar(128)  NULL,
    OccurredUtc    datetime2(3)   NOT NULL CONSTRAINT DF_AuditLog_OccurredUtc DEFAULT SYSUTCDATETIME(),
    CONSTRAINT PK_AuditLog PRIMARY KEY CLUSTERED (AuditId)
);
GO

CREATE INDEX IX_AuditLog_CustomerId_ScimId ON scim.AuditLog (CustomerId, ScimId);
GO
