-- The archive's existing user store (schema dbo), recreated for development and tests only.
-- The gateway never alters these tables in production; `db deploy` without the legacy option
-- does not run this script.
--
-- Collation: UserName and SMTP columns take the database default collation, which must be
-- case-insensitive (e.g. SQL_Latin1_General_CP1_CI_AS, the SQL Server default). User names and
-- addresses are matched case-insensitively by comparing through these columns; the deployer
-- refuses a database whose default collation is case-sensitive.

CREATE TABLE dbo.Customer
(
    CustomerId      int              IDENTITY(1, 1) NOT NULL,
    CustomerGuid    uniqueidentifier NOT NULL CONSTRAINT DF_Customer_CustomerGuid DEFAULT NEWID(),
    Name            nvarchar(200)    NOT NULL,
    DataCenter      nvarchar(32)     NOT NULL CONSTRAINT DF_Customer_DataCenter DEFAULT N'EU1',
    -- 0 active, 1 suspended, 2 closed
    Status          tinyint          NOT NULL CONSTRAINT DF_Customer_Status DEFAULT 0,
    CreatedUtc      datetime2(3)     NOT NULL CONSTRAINT DF_Customer_CreatedUtc DEFAULT SYSUTCDATETIME(),
    ModifiedUtc     datetime2(3)     NOT NULL CONSTRAINT DF_Customer_ModifiedUtc DEFAULT SYSUTCDATETIME(),
    CONSTRAINT PK_Customer PRIMARY KEY CLUSTERED (CustomerId),
    CONSTRAINT UQ_Customer_CustomerGuid UNIQUE (CustomerGuid),
    CONSTRAINT CK_Customer_Status CHECK (Status IN (0, 1, 2))
);
GO

CREATE INDEX IX_Customer_Name ON dbo.Customer (Name);
GO

CREATE TABLE dbo.CustomerDomain
(
    CustomerDomainId int            IDENTITY(1, 1) NOT NULL,
    CustomerId       int            NOT NULL,
    DomainName       nvarchar(255)  NOT NULL,
    IsPrimary        bit            NOT NULL CONSTRAINT DF_CustomerDomain_IsPrimary DEFAULT 0,
    CONSTRAINT PK_CustomerDomain PRIMARY KEY CLUSTERED (CustomerDomainId),
    CONSTRAINT UQ_CustomerDomain_DomainName UNIQUE (DomainName),
    CONSTRAINT FK_CustomerDomain_Customer FOREIGN KEY (CustomerId) REFERENCES dbo.Customer (CustomerId)
);
GO

-- At most one primary domain per customer.
CREATE UNIQUE INDEX UX_CustomerDomain_CustomerId_Primary ON dbo.CustomerDomain (CustomerId) WHERE IsPrimary = 1;
GO

CREATE TABLE dbo.ArchiveAccount
(
    AccountId              int           IDENTITY(1, 1) NOT NULL,
    CustomerId             int           NOT NULL,
    VaultEntryId           nvarchar(64)   NOT NULL,
    UserName               nvarchar(256) NOT NULL,
    PrimarySmtpAddress     nvarchar(320) NULL,
    FirstName              nvarchar(128) NULL,
    LastName               nvarchar(128) NULL,
    DisplayName            nvarchar(256) NULL,
    -- 0 enabled, 1 disabled, 2 deleted
    AccountStatus          tinyint       NOT NULL CONSTRAINT DF_ArchiveAccount_AccountStatus DEFAULT 0,
    LoginLocked            bit           NOT NULL CONSTRAINT DF_ArchiveAccount_LoginLocked DEFAULT 0,
    ArchivingEnabled       bit           NOT NULL CONSTRAINT DF_ArchiveAccount_ArchivingEnabled DEFAULT 1,
    PersonalArchiveEnabled bit           NOT NULL CONSTRAINT DF_ArchiveAccount_PersonalArchiveEnabled DEFAULT 1,
    -- 0 manual, 1 directory sync, 2 O365, 3 SCIM
    ProvisioningSource     tinyint       NOT NULL CONSTRAINT DF_ArchiveAccount_ProvisioningSource DEFAULT 0,
    RowVer                 rowversion    NOT NULL,
    CreatedUtc             datetime2(3)  NOT NULL CONSTRAINT DF_ArchiveAccount_CreatedUtc DEFAULT SYSUTCDATETIME(),
    ModifiedUtc            datetime2(3)  NOT NULL CONSTRAINT DF_ArchiveAccount_ModifiedUtc DEFAULT SYSUTCDATETIME(),
    CONSTRAINT PK_ArchiveAccount PRIMARY KEY CLUSTERED (AccountId),
    CONSTRAINT UQ_ArchiveAccount_VaultEntryId UNIQUE (VaultEntryId),
    -- Lets alias rows prove they belong to an account of the same customer.
    CONSTRAINT UQ_ArchiveAccount_AccountId_CustomerId UNIQUE (AccountId, CustomerId),
    CONSTRAINT FK_ArchiveAccount_Customer FOREIGN KEY (CustomerId) REFERENCES dbo.Customer (CustomerId),
    CONSTRAINT CK_ArchiveAccount_AccountStatus CHECK (AccountStatus IN (0, 1, 2)),
    CONSTRAINT CK_ArchiveAccount_ProvisioningSource CHECK (ProvisioningSource IN (0, 1, 2, 3))
);
GO

-- A user name is unique per customer among accounts that are not deleted.
CREATE UNIQUE INDEX UX_ArchiveAccount_CustomerId_UserName_Live
    ON dbo.ArchiveAccount (CustomerId, UserName)
    WHERE AccountStatus <> 2;
GO

CREATE INDEX IX_ArchiveAccount_CustomerId_PrimarySmtpAddress
    ON dbo.ArchiveAccount (CustomerId, PrimarySmtpAddress);
GO

CREATE TABLE dbo.Archive
(
    ArchiveId    int           IDENTITY(1, 1) NOT NULL,
    AccountId    int           NOT NULL,
    ArchiveName  nvarchar(256) NOT NULL,
    CreatedUtc   datetime2(3)  NOT NULL CONSTRAINT DF_Archive_CreatedUtc DEFAULT SYSUTCDATETIME(),
    HoldCount    int           NOT NULL CONSTRAINT DF_Archive_HoldCount DEFAULT 0,
    CONSTRAINT PK_Archive PRIMARY KEY CLUSTERED (ArchiveId),
    CONSTRAINT UQ_Archive_AccountId UNIQUE (AccountId),
    CONSTRAINT FK_Archive_ArchiveAccount FOREIGN KEY (AccountId) REFERENCES dbo.ArchiveAccount (AccountId)
);
GO

CREATE TABLE dbo.ArchiveAccountAlias
(
    AliasId      int           IDENTITY(1, 1) NOT NULL,
    AccountId    int           NOT NULL,
    CustomerId   int           NOT NULL,
    SmtpAddress  nvarchar(320) NOT NULL,
    -- Same codes as ArchiveAccount.ProvisioningSource.
    Source       tinyint       NOT NULL CONSTRAINT DF_ArchiveAccountAlias_Source DEFAULT 0,
    AddedUtc     datetime2(3)  NOT NULL CONSTRAINT DF_ArchiveAccountAlias_AddedUtc DEFAULT SYSUTCDATETIME(),
    -- Null while the address routes mail to this account; released rows stay for past mail.
    RemovedUtc   datetime2(3)  NULL,
    CONSTRAINT PK_ArchiveAccountAlias PRIMARY KEY CLUSTERED (AliasId),
    CONSTRAINT FK_ArchiveAccountAlias_ArchiveAccount FOREIGN KEY (AccountId, CustomerId)
        REFERENCES dbo.ArchiveAccount (AccountId, CustomerId),
    CONSTRAINT FK_ArchiveAccountAlias_Customer FOREIGN KEY (CustomerId) REFERENCES dbo.Customer (CustomerId)
);
GO

-- A live address has exactly one owner per customer.
CREATE UNIQUE INDEX UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live
    ON dbo.ArchiveAccountAlias (CustomerId, SmtpAddress)
    WHERE RemovedUtc IS NULL;
GO

CREATE INDEX IX_ArchiveAccountAlias_AccountId
    ON dbo.ArchiveAccountAlias (AccountId)
    INCLUDE (SmtpAddress, RemovedUtc);
GO
