package io.chihaya.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that gets its own MariaDB database with the schema and fixtures loaded;
 * shorthand for {@code @ExtendWith(MariaDbExtension.class)}, see {@link MariaDbExtension} for the
 * contract. Test methods and constructors may take a {@link TestDatabase} or a
 * {@link javax.sql.DataSource} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MariaDbExtension.class)
public @interface MariaDbTest {}
