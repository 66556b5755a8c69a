-- The user map keeps a user's work e-mail addresses besides the primary SMTP address (RFC 7643
-- allows any number of e-mails of one type): a JSON array, ASCII letters lower-cased, NULL when
-- there are none (every account Entra writes, and every row written before: the previous release
-- refused a second work address). usp_User_FindByPrimarySmtpAddress looks there too.
ALTER TABLE scim.UserMap ADD OtherWorkEmails nvarchar(4000) NULL;
GO

-- Only the few user maps that hold other work addresses, per customer.
CREATE INDEX IX_UserMap_Customer_OtherWorkEmails ON scim.UserMap (CustomerId, AccountId)
    WHERE OtherWorkEmails IS NOT NULL;
GO
